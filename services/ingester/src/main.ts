#!/usr/bin/env node
import { loadConfig } from '@aaf-sync/config';
import { runIngesterProcess } from './run-ingester.js';

await runIngesterProcess(loadConfig());
