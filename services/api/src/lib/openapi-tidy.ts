/**
 * Final touches on the generated OpenAPI document:
 * - drop component schemas nothing refers to (the zod provider emits an `…Input` twin of every
 *   named schema, used or not);
 * - describe the multipart body of the upload route (multipart bodies are read as streams, so the
 *   route has no body schema to generate it from).
 */
type Json = Record<string, unknown>;

function refsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) refsIn(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.add(v.replace('#/components/schemas/', ''));
      else refsIn(v, out);
    }
  }
}

export function pruneComponents(doc: Json): Json {
  const components = (doc.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const used = new Set<string>();
  refsIn(doc.paths, used);
  let size = -1;
  while (used.size !== size) {
    size = used.size;
    for (const name of [...used]) refsIn(schemas[name], used);
  }
  const kept = Object.fromEntries(
    Object.keys(schemas)
      .filter((n) => used.has(n))
      .sort()
      .map((n) => [n, schemas[n]]),
  );
  return { ...doc, components: { ...components, schemas: kept } };
}

const MULTIPART_BODY = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          files: {
            type: 'array',
            items: { type: 'string', format: 'binary' },
            description: 'AAF XML files, or a .tgz/.zip delivery (any field name).',
          },
          dryRun: { type: 'string', enum: ['true', 'false'] },
        },
        required: ['files'],
      },
    },
  },
};

/** Adds the multipart request body to the operations whose id is listed. */
export function describeMultipart(doc: Json, operationIds: readonly string[]): Json {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      if (op && operationIds.includes(op.operationId as string)) op.requestBody = MULTIPART_BODY;
    }
  }
  return doc;
}
