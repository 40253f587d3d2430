import { sql, type Executor, type Notice } from '@aaf-sync/db';
import { SchedulerErrors } from './errors.js';

export interface NoticeFilter {
  /** The caller's establishments (an establishment-scoped key): only notices naming one of them. Null: all. */
  readonly uais: readonly string[] | null;
  /** A manager's inbox: only notices addressed to this person. */
  readonly manager?: number | undefined;
  readonly kind?: string | undefined;
  /** Who reads: `read` says whether this reader marked the notice read. */
  readonly reader: string;
  readonly unreadOnly?: boolean | undefined;
  /** Keyset: notices with an id below this one (newest first). */
  readonly before?: number | undefined;
  readonly limit: number;
}

export interface NoticeView {
  readonly id: number;
  readonly kind: string;
  readonly uais: readonly string[];
  readonly managers: readonly number[] | null;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

function visible(filter: Pick<NoticeFilter, 'uais' | 'manager'>) {
  return (q: ReturnType<typeof base>) => {
    let out = q;
    if (filter.uais !== null)
      out = out.where(sql<boolean>`n.uais && ${sql.val([...filter.uais])}::text[]`);
    if (filter.manager !== undefined)
      out = out.where(sql<boolean>`n.managers @> array[${filter.manager}]::bigint[]`);
    return out;
  };
}

function base(db: Executor, reader: string) {
  return db
    .selectFrom('notice as n')
    .leftJoin('notice_read as r', (j) =>
      j.onRef('r.notice_id', '=', 'n.id').on('r.reader', '=', reader),
    )
    .selectAll('n')
    .select('r.read_at');
}

function toView(row: Notice & { read_at: Date | null }): NoticeView {
  return {
    id: Number(row.id),
    kind: row.kind,
    uais: row.uais,
    managers: row.managers ? row.managers.map(Number) : null,
    title: row.title,
    body: row.body,
    data: row.data,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/**
 * The notices a caller may read, newest first (keyset on id): all for an académie-wide caller,
 * those naming one of its establishments for an establishment-scoped one; `manager` narrows to a
 * manager's inbox. Returns `limit + 1` rows at most (the caller pages).
 */
export async function listNotices(db: Executor, filter: NoticeFilter): Promise<NoticeView[]> {
  let q = visible(filter)(base(db, filter.reader));
  if (filter.kind !== undefined) q = q.where('n.kind', '=', filter.kind);
  if (filter.unreadOnly) q = q.where('r.read_at', 'is', null);
  if (filter.before !== undefined) q = q.where('n.id', '<', filter.before);
  const rows = await q
    .orderBy('n.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map(toView);
}

/**
 * Marks a notice read by `reader` (idempotent: the first reading time is kept). Throws
 * SCHEDULER_ERR_NOTICE_NOT_FOUND when the notice does not exist or is not visible to the caller.
 */
export async function markNoticeRead(
  db: Executor,
  id: number,
  o: { reader: string; uais: readonly string[] | null; manager?: number | undefined },
): Promise<NoticeView> {
  const found = await visible(o)(base(db, o.reader)).where('n.id', '=', id).executeTakeFirst();
  if (!found) throw SchedulerErrors.NOTICE_NOT_FOUND({ id });
  await db
    .insertInto('notice_read')
    .values({ notice_id: id, reader: o.reader })
    .onConflict((oc) => oc.columns(['notice_id', 'reader']).doNothing())
    .execute();
  const row = await base(db, o.reader).where('n.id', '=', id).executeTakeFirstOrThrow();
  return toView(row);
}
