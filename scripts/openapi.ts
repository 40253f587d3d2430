// Writes openapi/openapi.json from the API's route schemas (`pnpm openapi`).
// test/docs/openapi.test.ts regenerates it and fails when the committed file drifted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { renderOpenApi } from '@aaf-sync/api';

export const OPENAPI_PATH = join(resolve(import.meta.dirname, '..'), 'openapi', 'openapi.json');

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  mkdirSync(dirname(OPENAPI_PATH), { recursive: true });
  writeFileSync(OPENAPI_PATH, await renderOpenApi());
  console.log('openapi/openapi.json written');
}
