#!/usr/bin/env node
import { loadConfig } from '@aaf-sync/config';
import { runTargetsProcess } from './run-targets.js';

await runTargetsProcess(loadConfig());
