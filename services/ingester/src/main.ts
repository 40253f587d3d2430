#!/usr/bin/env node
import { loadConfig } from '@aaf-sync/config';
import { runIngesterProcess } from '@aaf-sync/ingester';

const clean = await runIngesterProcess(loadConfig());
// Everything was closed (bounded, see packages/process runProcess); a timer BullMQ may leave
// after a forced close must not keep the stopped process alive.
process.exit(clean ? 0 : 1);
