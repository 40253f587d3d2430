import type { AccountRef } from '@aaf-sync/directory';

/**
 * How an operator names an account: `id:<n>`, `jointure:<j>`, `<namespace>:<value>` (a
 * configured login namespace), or a bare internal id, jointure or login of any namespace —
 * the grammar of the API's `/v1/accounts/{id}`.
 */
export function accountRef(raw: string, namespaces: readonly string[]): AccountRef {
  const match = /^([a-z][a-z0-9_-]*):(.+)$/.exec(raw);
  if (match) {
    const [, prefix, value] = match as unknown as [string, string, string];
    if (prefix === 'id' && /^[0-9]{1,15}$/.test(value)) return { by: 'id', id: Number(value) };
    if (prefix === 'jointure') return { by: 'jointure', value };
    if (namespaces.includes(prefix)) return { by: 'identifier', namespace: prefix, value };
  }
  return { by: 'any', value: raw };
}
