/**
 * Directory keys. Identity is `(académie scope, AAF id)`; every table, link, event and cursor
 * names a person or a structure by one text, its key (the `jointure` column): the AAF id, or
 * `<id>@<scope>` when another scope held that id as a key first (the ingestion engine gives
 * keys, packages/ingest `scope-keys.ts`). No AAF id holds the separator, so the AAF id of a key
 * is the part before it (the `aaf_id` column, migration 0033). What leaves the directory (API
 * views, event payloads, target entries) shows the AAF id and the scope, never a qualified key.
 */
export const KEY_SEPARATOR = '@';

export function qualifiedKey(id: string, scope: string): string {
  return `${id}${KEY_SEPARATOR}${scope}`;
}

/** The AAF id a directory key stands for (the key itself unless qualified). */
export function aafIdOf(key: string): string {
  const at = key.indexOf(KEY_SEPARATOR);
  return at < 0 ? key : key.slice(0, at);
}
