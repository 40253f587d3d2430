import { appendEvents, type Database, type Executor, type Kysely } from '@aaf-sync/db';
import { z } from 'zod';
import type { NoticeInput } from './effects.js';
import { SchedulerErrors } from './errors.js';

/** The shape of a notice (NoticeInput, checked when recorded). */
export const NoticeInputSchema = z.object({
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'dotted lower-case words')
    .max(100),
  uais: z.array(z.string().min(1).max(20)).max(10_000),
  managers: z.array(z.int().positive()).max(10_000).optional(),
  title: z.string().min(1).max(300),
  body: z.string().max(100_000),
  data: z.record(z.string(), z.unknown()).optional(),
  dedupeKey: z.string().min(1).max(500),
});

export interface RecordedNotice {
  readonly id: number;
  /** False when a notice with this dedupe key existed already (nothing written). */
  readonly created: boolean;
}

async function insertNotice(trx: Executor, n: NoticeInput): Promise<RecordedNotice> {
  const parsed = NoticeInputSchema.safeParse(n);
  if (!parsed.success) {
    throw SchedulerErrors.INVALID_NOTICE({
      problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  const uais = [...new Set(n.uais)].sort();
  const managers = n.managers ? [...new Set(n.managers)].sort((a, b) => a - b) : null;
  const row = await trx
    .insertInto('notice')
    .values({
      kind: n.kind,
      uais,
      managers,
      title: n.title,
      body: n.body,
      data: JSON.stringify(n.data ?? {}),
      dedupe_key: n.dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) {
    const existing = await trx
      .selectFrom('notice')
      .select('id')
      .where('dedupe_key', '=', n.dedupeKey)
      .executeTakeFirstOrThrow();
    return { id: Number(existing.id), created: false };
  }
  const id = Number(row.id);
  await appendEvents(trx, [
    {
      entityType: 'notice',
      entityKey: String(id),
      op: 'created',
      version: 1,
      uais,
      changes: { kind: n.kind, title: n.title, body: n.body, managers },
      actor: 'calendar',
    },
  ]);
  return { id, created: true };
}

/**
 * Stores a notice and its `notice` event (`notice.created`, actor `calendar`) in one transaction
 * — the caller's when `db` is one. Idempotent on `dedupeKey`: the same key twice writes one
 * notice and one event.
 */
export async function recordNotice(
  db: Kysely<Database> | Executor,
  input: NoticeInput,
): Promise<RecordedNotice> {
  if (db.isTransaction) return insertNotice(db, input);
  return (db as Kysely<Database>).transaction().execute((trx) => insertNotice(trx, input));
}
