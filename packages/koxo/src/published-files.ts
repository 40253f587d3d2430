import { createHash } from 'node:crypto';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import { KoxoErrors } from './errors.js';
import { manifestName, type KoxoManifest } from './publish.js';
import { manifestOf, type KoxoTargetRef } from './regenerate.js';
import { snapshotFiles } from './snapshot.repository.js';

/** A file as served: what its manifest says. */
export type PublishedFile = KoxoManifest;

interface Row {
  id: string | number;
  uai: string;
  version: number;
  generated_at: Date;
  event_seq: string | number;
  name: string;
  primary_group: string;
  rows: number;
  sha256: string;
}

async function publishedRows(
  db: Kysely<Database>,
  targetId: number,
  uais: readonly string[] | null,
  name?: string,
): Promise<Row[]> {
  const { rows } = await sql<Row>`
    select s.id, s.uai, s.version, s.generated_at, s.event_seq,
      f.name, f.primary_group, f.rows, f.sha256
    from (
      select distinct on (uai) * from koxo_snapshot
      where target_id = ${targetId} and status = 'published'
        ${uais ? sql`and uai = any(${sql.val([...uais])}::text[])` : sql``}
      order by uai, version desc
    ) s
    join koxo_file f on f.snapshot_id = s.id
    ${name ? sql`where f.name = ${name}` : sql``}
    order by f.name
  `.execute(db);
  return rows;
}

/**
 * The files a target serves now: those of the newest published snapshot of each establishment
 * (a held snapshot is never served), limited to `uais` for an establishment-scoped caller.
 */
export async function listPublishedFiles(
  db: Kysely<Database>,
  target: KoxoTargetRef,
  uais: readonly string[] | null,
): Promise<PublishedFile[]> {
  const rows = await publishedRows(db, target.id, uais);
  return rows.map((r) =>
    manifestOf(target, r.uai, r, {
      name: r.name,
      primaryGroup: r.primary_group,
      rows: r.rows,
      sha256: r.sha256,
    }),
  );
}

/**
 * One served file by name: a CSV (`<UAI>-<population>.csv`) or its manifest
 * (`….manifest.json`). `etag` is the sha256 of the bytes served. KOXO_ERR_FILE_NOT_FOUND when
 * the target serves no such file to this caller.
 */
export async function readPublishedFile(
  db: Kysely<Database>,
  box: SecretBox,
  target: KoxoTargetRef,
  name: string,
  uais: readonly string[] | null,
): Promise<{ file: PublishedFile; contentType: string; body: Buffer; etag: string }> {
  const isManifest = name.endsWith('.manifest.json');
  const csvName = isManifest ? name.replace(/\.manifest\.json$/, '.csv') : name;
  const [row] = await publishedRows(db, target.id, uais, csvName);
  if (!row || (isManifest && manifestName(csvName) !== name)) {
    throw KoxoErrors.FILE_NOT_FOUND({ target: target.name, file: name });
  }
  const file = manifestOf(target, row.uai, row, {
    name: row.name,
    primaryGroup: row.primary_group,
    rows: row.rows,
    sha256: row.sha256,
  });
  if (isManifest) {
    const body = Buffer.from(JSON.stringify(file, null, 2) + '\n', 'utf8');
    return {
      file,
      contentType: 'application/json',
      body,
      etag: createHash('sha256').update(body).digest('hex'),
    };
  }
  const [stored] = await snapshotFiles(db, box, Number(row.id), target.name, [row.name]);
  return { file, contentType: 'text/csv; charset=utf-8', body: stored!.content, etag: row.sha256 };
}
