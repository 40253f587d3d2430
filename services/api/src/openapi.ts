import { loadConfig } from '@aaf-sync/config';
import { createDb } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { buildApp } from './app.js';

/**
 * The OpenAPI document, as committed in `openapi/openapi.json` (`pnpm openapi` writes it; a test
 * regenerates it and fails when they differ). Built from the routes' schemas with default
 * settings; no connection is opened.
 */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({});
  const handle = createDb({ url: config.database.url, poolMax: 1 });
  const app = await buildApp({
    config,
    db: handle.db,
    log: createLogger({ level: 'silent', pretty: false }),
  });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
    await handle.close();
  }
}
