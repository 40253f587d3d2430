import t from 'tap';
import { describeMultipart, pruneComponents } from '../../src/lib/openapi-tidy.js';

t.test(
  'unreferenced component schemas are dropped, referenced ones kept transitively',
  async (t) => {
    const doc = {
      paths: { '/a': { get: { responses: { 200: { $ref: '#/components/schemas/Page' } } } } },
      components: {
        schemas: {
          Page: { properties: { items: { $ref: '#/components/schemas/Item' } } },
          Item: { type: 'object' },
          PageInput: { type: 'object' },
        },
      },
    };
    const out = pruneComponents(doc) as typeof doc;
    t.same(Object.keys(out.components.schemas), ['Item', 'Page']);
  },
);

t.test('the multipart body is added to the named operation only', async (t) => {
  const doc = {
    paths: { '/x': { post: { operationId: 'submitImport' }, get: { operationId: 'other' } } },
  };
  const out = describeMultipart(doc, ['submitImport']) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  t.ok(out.paths['/x']!.post!.requestBody);
  t.notOk(out.paths['/x']!.get!.requestBody);
});
