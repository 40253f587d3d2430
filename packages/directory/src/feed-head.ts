import { EVENT_WATERMARK, sql, type Executor, type Expression } from '@aaf-sync/db';

/**
 * The feed position of a read: `head` is the highest event seq visible to the statement (the
 * watermark when every event was purged), `watermark` the purge watermark.
 */
export interface FeedPosition {
  readonly head: number;
  readonly watermark: number;
}

const POSITION = sql`(
  select greatest(
      coalesce((select max(seq) from change_event), 0),
      ${EVENT_WATERMARK}) as head,
    ${EVENT_WATERMARK} as watermark
)`;

/**
 * Runs `query` and reads the feed position **in the same statement** (one snapshot).
 *
 * Events are committed in seq order (appendEvents serialises writers), and every directory change
 * is committed with its events, so the rows returned reflect exactly the events up to `head`: a
 * client that follows the feed from `head` misses nothing and sees nothing twice. Returns the
 * rows (none when the query matched nothing) and the position.
 */
export async function withFeedPosition<R extends object>(
  db: Executor,
  query: Expression<unknown>,
): Promise<{ rows: R[]; position: FeedPosition }> {
  const result = await sql<
    R & { __head: number; __watermark: number; __found: boolean | null; __n: number }
  >`
    select pos.head as __head, pos.watermark as __watermark, q.*
    from ${POSITION} pos
    left join lateral (
      select true as __found, row_number() over () as __n, s.* from (${query}) s
    ) q on true
    order by q.__n
  `.execute(db);
  const first = result.rows[0];
  const position = { head: Number(first?.__head ?? 0), watermark: Number(first?.__watermark ?? 0) };
  const rows: R[] = [];
  for (const row of result.rows) {
    if (!row.__found) continue;
    const { __head: _h, __watermark: _w, __found: _f, __n: _n, ...rest } = row;
    rows.push(rest as unknown as R);
  }
  return { rows, position };
}
