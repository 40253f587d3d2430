#!/usr/bin/env node
// The API process (Docker entry point; operators may also use `pnpm aaf-sync serve`).
import { loadConfig } from '@aaf-sync/config';
import { createLogger } from '@aaf-sync/logger';
import { startServer } from './server.js';

const config = loadConfig();
const log = createLogger({ level: config.log.level, pretty: config.log.pretty, name: 'api' });
await startServer({ config, log });
