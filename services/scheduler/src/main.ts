#!/usr/bin/env node
import { loadConfig } from '@aaf-sync/config';
import { runSchedulerProcess } from './run-scheduler.js';

await runSchedulerProcess(loadConfig());
// Everything was closed (bounded, see packages/jobs closeAll); a timer BullMQ may leave after a
// forced close must not keep the stopped process alive.
process.exit(0);
