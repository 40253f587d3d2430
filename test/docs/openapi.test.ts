import { readFileSync } from 'node:fs';
import t from 'tap';
import { renderOpenApi } from '@aaf-sync/api';
import { OPENAPI_PATH } from '../../scripts/openapi.js';

t.test('openapi/openapi.json matches the routes (run pnpm openapi)', async (t) => {
  const committed = readFileSync(OPENAPI_PATH, 'utf8');
  const generated = await renderOpenApi();
  t.equal(committed, generated, 'the committed OpenAPI document is the generated one');
  const doc = JSON.parse(generated) as { openapi: string; paths: Record<string, unknown> };
  t.equal(doc.openapi, '3.1.0');
  t.ok(doc.paths['/v1/changes'], 'documents the change feed');
});

t.test('an import warning documents every warning code the engine writes', async (t) => {
  const { WARNING_CODES } = await import('@aaf-sync/aaf');
  const doc = JSON.parse(await renderOpenApi()) as {
    components: {
      schemas: Record<string, { properties: Record<string, { description?: string }> }>;
    };
  };
  const described = doc.components.schemas.ImportWarning!.properties.code!.description ?? '';
  t.ok(WARNING_CODES.length >= 9, 'the nine warning codes at least');
  for (const code of WARNING_CODES) t.match(described, code, `${code} is documented`);
});
