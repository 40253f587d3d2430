#!/usr/bin/env node
import { ignoreClosedPipe } from './closed-pipe.js';
import { runCli } from './run-cli.js';

ignoreClosedPipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2));
