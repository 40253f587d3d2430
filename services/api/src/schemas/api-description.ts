/** The description of the OpenAPI document (rendered at /docs): conventions and the change feed. */
export const API_DESCRIPTION = `
The aaf-sync REST API: the directory imported from the académie (AAF), its change feed for ENT
platforms, account status and imports for administrators.

## Conventions
- **Authentication**: \`Authorization: Bearer aafk_<id>_<secret>\`. Keys are created by an
  operator (\`pnpm aaf-sync keys create --name <n> --scopes <a,b> [--uai <uai>,…]\`). Each key has
  scopes (\`changes:read\`, \`directory:read\`, \`accounts:read\`, \`imports:read\`,
  \`imports:write\`, \`admin\` = all) and may be restricted to some establishments (UAIs): such a
  key sees and acts on its establishments only; other resources answer 404 and naming a foreign
  UAI in a filter answers 403.
- **Personal fields** (birth name, birth date, INE, mail, contact and schooling details) are
  returned only to keys with \`accounts:read\` or \`admin\`, in the directory and in the feed.
- **Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\` (see
  docs/errors.md), the request id, and \`errors\` for validation problems.
- **Lists** are paginated with opaque cursors: pass \`nextCursor\` back as \`cursor\` until it is
  null. \`limit\` bounds the page size.
- **Rate limit**: per key and minute, shared by all API processes; 429 with \`retry-after\`.
- Every answer carries \`x-request-id\` (the caller's own when it sent a well-formed one).

## The change feed (\`GET /v1/changes\`)
Every change of the directory is an event in one ordered log, written in the same transaction as
the change. An item is
\`{ seq, occurredAt, type: "<entity>.<op>", key, version, uais, changes, importId }\`:
- \`type\`: entity \`structure\`, \`subject\`, \`mef\`, \`person\`, \`class\`, \`group\`,
  \`membership\`, \`relative_link\`, \`teaching_link\`, \`head_teacher\`, \`person_function\`,
  \`direction\`, \`identifier\`; op \`created\`, \`updated\`, \`departed\`, \`restored\`,
  \`deleted\` (a tombstone: the entity is gone; \`changes\` gives its context).
- \`key\`: person and structure → jointure; subject and MEF → code; class and group →
  \`<structureJointure>$<code>\`; membership → \`<class|group>:<structureJointure>$<code>|<personJointure>\`;
  other links → their parts joined with \`|\`; identifier → \`<namespace>:<value>\`.
- \`version\`: per entity, increasing; drop an event whose version is not above the one you hold.
- \`changes\`: created → \`{ after: {…} }\`; updated → \`{ fields: { <field>: [before, after] } }\`;
  departed → \`{ departedAt, structures }\`; restored, deleted → context. Person fields are
  camelCase (\`givenName\`, \`sn\`, \`birthDate\`, \`mail\`, \`primaryStructure\`, \`state\`…) or
  detail paths (\`details.contact.mobile\`). For keys without \`accounts:read\`, personal fields
  are removed and \`redacted: true\` is set; the event is still delivered.

**Following the feed.** Start with a snapshot: \`GET /v1/persons\` (and the other lists you need)
returns with every page the \`feedCursor\` of the snapshot's first page. Then call
\`GET /v1/changes?cursor=<feedCursor>\` and keep calling with the returned \`nextCursor\` (it
always advances past the events you received, and past filtered-out ones). \`hasMore: false\`
means you are at the head: poll again later. Pages of a snapshot taken while imports run may
already show changes that the feed then delivers: drop them by \`version\` (or apply them again:
field values and set memberships converge). \`cursor=now\` starts at the head without history.
Without \`cursor\`, the feed starts at the beginning of the log.

**Retention.** Events are kept \`CHANGES_RETENTION_DAYS\` days. A cursor that points into the purged
part answers **410** \`API_ERR_CURSOR_EXPIRED\` with a \`resync\` object: take a new snapshot and
follow the feed from its cursor.
`.trim();
