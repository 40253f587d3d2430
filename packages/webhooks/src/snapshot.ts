import { createHash } from 'node:crypto';
import { sql, type Database, type Kysely, type Profile } from '@aaf-sync/db';
import { eventHead } from '@aaf-sync/targets';

export const SNAPSHOT_PROFILES = ['pupil', 'teacher', 'staff', 'relative'] as const;

/** One account of a snapshot: what a pedagogical server needs to create and file it. */
export interface SnapshotItem {
  /** Stable id: the AAF jointure. */
  readonly id: string;
  readonly civility: string | null;
  readonly givenName: string;
  readonly sn: string;
  readonly birthName: string | null;
  readonly birthDate: string | null;
  readonly profile: Profile;
  /** Class codes in this establishment (pupils: one; teachers: those they teach). */
  readonly classes: readonly string[];
  /** Group codes (options, teaching groups) in this establishment. */
  readonly groups: readonly string[];
  /** Functions in this establishment: `code` or `code/discipline`. */
  readonly functions: readonly string[];
  readonly mail: string | null;
  /** The primary login in the namespace asked (the server's own), or null. */
  readonly login: string | null;
}

export interface SnapshotManifest {
  readonly uai: string;
  readonly profile: Profile;
  readonly namespace: string;
  readonly rows: number;
  /**
   * sha256 (hex) of the representation's content: JSON, the items one per line
   * (`items.map(JSON.stringify).join('\n')`); CSV, the whole CSV text.
   */
  readonly sha256: string;
  /** The event log position the snapshot reflects: every event with seq ≤ it is in. */
  readonly seq: number;
  readonly generatedAt: string;
}

export interface Snapshot {
  readonly manifest: SnapshotManifest;
  readonly items: readonly SnapshotItem[];
}

/**
 * The complete list of active accounts of one establishment and profile, read in one
 * repeatable-read transaction together with the head of the event log (`seq`): a receiver that
 * applies this list and then events after `seq` misses nothing. Sorted by id. An establishment
 * with no account yields an empty list (callers check that the UAI exists).
 */
export async function readSnapshot(
  db: Kysely<Database>,
  uai: string,
  profile: Profile,
  namespace: string,
): Promise<{ items: SnapshotItem[]; seq: number }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const seq = await eventHead(trx);
      const rows = await sql<{
        id: string;
        civility: string | null;
        given_name: string;
        sn: string;
        birth_name: string | null;
        birth_date: string | null;
        profile: Profile;
        classes: string[];
        groups: string[];
        functions: string[];
        mail: string | null;
        login: string | null;
      }>`
        select p.jointure as id, p.civility, p.given_name, p.sn, p.birth_name,
          to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.profile, p.mail,
          coalesce((select array_agg(cg.code order by cg.code) from membership m
            join class_group cg on cg.id = m.class_group_id
            where m.person_jointure = p.jointure and cg.structure_jointure = s.jointure
              and cg.kind = 'class'), '{}') as classes,
          coalesce((select array_agg(cg.code order by cg.code) from membership m
            join class_group cg on cg.id = m.class_group_id
            where m.person_jointure = p.jointure and cg.structure_jointure = s.jointure
              and cg.kind = 'group'), '{}') as groups,
          coalesce((select array_agg(distinct f.code
              || case when f.discipline_code <> '' then '/' || f.discipline_code else '' end)
            from person_function f
            where f.person_jointure = p.jointure and f.structure_jointure = s.jointure), '{}')
            as functions,
          (select i.value from identifier i where i.person_id = p.id
            and i.namespace = ${namespace} and i.status = 'primary') as login
        from structure s
        join person_structure ps on ps.structure_jointure = s.jointure
        join person p on p.jointure = ps.person_jointure
        where s.uai = ${uai} and p.profile = ${profile} and p.state = 'active' and p.has_account
        order by p.jointure
      `.execute(trx);
      const items = rows.rows.map((r) => ({
        id: r.id,
        civility: r.civility,
        givenName: r.given_name,
        sn: r.sn,
        birthName: r.birth_name,
        birthDate: r.birth_date,
        profile: r.profile,
        classes: r.classes,
        groups: r.groups,
        functions: [...r.functions].sort(),
        mail: r.mail,
        login: r.login,
      }));
      return { items, seq };
    });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The JSON representation: its text, manifest and (weak) ETag. */
export function snapshotJson(
  meta: { uai: string; profile: Profile; namespace: string; seq: number; at: Date },
  items: readonly SnapshotItem[],
): { body: string; manifest: SnapshotManifest; etag: string } {
  const lines = items.map((i) => JSON.stringify(i));
  const manifest: SnapshotManifest = {
    uai: meta.uai,
    profile: meta.profile,
    namespace: meta.namespace,
    rows: items.length,
    sha256: sha256(lines.join('\n')),
    seq: meta.seq,
    generatedAt: meta.at.toISOString(),
  };
  const body = `{"manifest":${JSON.stringify(manifest)},"items":[${lines.join(',')}]}`;
  return { body, manifest, etag: `W/"j-${manifest.sha256.slice(0, 40)}"` };
}

export const SNAPSHOT_CSV_COLUMNS = [
  'id',
  'civility',
  'givenName',
  'sn',
  'birthName',
  'birthDate',
  'profile',
  'classes',
  'groups',
  'functions',
  'mail',
  'login',
] as const;

/** RFC 4180 field; a value a spreadsheet would run as a formula gets an apostrophe. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('|') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV representation (lists joined with `|`, CRLF lines): text, manifest, (weak) ETag. */
export function snapshotCsv(
  meta: { uai: string; profile: Profile; namespace: string; seq: number; at: Date },
  items: readonly SnapshotItem[],
): { body: string; manifest: SnapshotManifest; etag: string } {
  const line = (values: readonly unknown[]) => `${values.map(field).join(',')}\r\n`;
  const body =
    line(SNAPSHOT_CSV_COLUMNS) +
    items.map((i) => line(SNAPSHOT_CSV_COLUMNS.map((c) => i[c]))).join('');
  const manifest: SnapshotManifest = {
    uai: meta.uai,
    profile: meta.profile,
    namespace: meta.namespace,
    rows: items.length,
    sha256: sha256(body),
    seq: meta.seq,
    generatedAt: meta.at.toISOString(),
  };
  return { body, manifest, etag: `W/"c-${manifest.sha256.slice(0, 40)}"` };
}

/** True when an If-None-Match header names `etag` (weak comparison, `*` matches). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}
