import { startServer } from '@aaf-sync/api';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the REST API (HOST, PORT, DATABASE_URL, REDIS_URL)',
  usage: [
    'aaf-sync serve',
    '',
    'Starts the REST API on HOST:PORT (docs at /docs, health at /healthz and /readyz, metrics at',
    '/metrics: keep /metrics on an internal network). SIGINT/SIGTERM close it gracefully. Prints',
    '"listening on <url>" on stdout once it accepts requests. Uploads and held-plan decisions are',
    'queued (202): run `aaf-sync watch` (the ingester) to execute them.',
  ].join('\n'),
  async run({ config, log, stdout }) {
    const server = await startServer({ config, log });
    stdout.write(`listening on ${server.url}\n`);
    await new Promise<void>((resolve) => server.app.server.once('close', () => resolve()));
    return 0;
  },
};
