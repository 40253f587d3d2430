#!/usr/bin/env node
import { tuneGarbageCollector } from '@aaf-sync/process';
import { ignoreClosedPipe } from './closed-pipe.js';
import { runCli } from './run-cli.js';

tuneGarbageCollector();
ignoreClosedPipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2));
