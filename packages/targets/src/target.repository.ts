import {
  sql,
  type Database,
  type Executor,
  type Kysely,
  type Target,
  type TargetState,
} from '@aaf-sync/db';
import type { z } from 'zod';
import { TargetsErrors } from './errors.js';
import { fullReconcile } from './full-reconcile.js';
import { KIND_SCHEMAS, OUTBOX_KINDS, TargetDefinition, TargetPatch } from './kinds.js';
import type { SecretBox } from './secret-box.js';
import { toTargetView, type TargetView } from './target-view.js';

/** Establishments a caller may see: null = all; otherwise only targets serving a subset. */
export type TargetScope = readonly string[] | null;

function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw TargetsErrors.INVALID({ problems: problems(result.error) });
  return result.data as z.output<S>;
}

function inScope(target: Target, scope: TargetScope): boolean {
  return scope === null || target.uais.every((u) => scope.includes(u));
}

async function cursorOf(db: Executor, id: number): Promise<number | null> {
  const row = await db
    .selectFrom('target_consumer')
    .select('seq')
    .where('target_id', '=', id)
    .executeTakeFirst();
  return row ? Number(row.seq) : null;
}

/** The stored row of a target (secrets still sealed), or TARGETS_ERR_NOT_FOUND. */
export async function findTarget(
  db: Executor,
  name: string,
  scope: TargetScope = null,
): Promise<Target> {
  const row = await db.selectFrom('target').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row || !inScope(row, scope)) throw TargetsErrors.NOT_FOUND({ name });
  return row;
}

export async function getTarget(
  db: Executor,
  name: string,
  scope: TargetScope = null,
): Promise<TargetView> {
  const row = await findTarget(db, name, scope);
  return toTargetView(row, await cursorOf(db, row.id));
}

export async function listTargets(db: Executor, scope: TargetScope = null): Promise<TargetView[]> {
  let query = db
    .selectFrom('target as t')
    .leftJoin('target_consumer as c', 'c.target_id', 't.id')
    .selectAll('t')
    .select('c.seq as cursor')
    .orderBy('t.name');
  if (scope !== null) query = query.where(sql<boolean>`t.uais <@ ${sql.val([...scope])}::text[]`);
  const rows = await query.execute();
  return rows.map((r) => toTargetView(r, r.cursor === null ? null : Number(r.cursor)));
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/**
 * Validates and stores a new target (secrets sealed), places its cursor at the head of the log
 * and marks every account it should hold as pending (an initial full reconcile), in one
 * transaction. Invalid input writes nothing (TARGETS_ERR_INVALID).
 */
export async function createTarget(
  db: Kysely<Database>,
  box: SecretBox,
  input: unknown,
  actor: string,
): Promise<TargetView> {
  const def = parse(TargetDefinition, input);
  const sealed =
    def.secrets && Object.keys(def.secrets).length > 0 ? box.seal(def.secrets, def.kind) : null;
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('target')
        .values({
          name: def.name,
          kind: def.kind,
          uais: def.uais,
          options: JSON.stringify(def.options) as never,
          secrets_key_id: sealed?.keyId ?? null,
          secrets_ciphertext: sealed?.ciphertext ?? null,
          created_by: actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const { cursor } = await fullReconcile(trx, row);
      return toTargetView(row, cursor);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw TargetsErrors.NAME_TAKEN({ name: def.name });
    throw err;
  }
}

/**
 * Changes a target's establishments, options (replaced, checked against its kind) or secrets
 * (replaced, sealed with the current key). A change of establishments is followed by a full
 * reconcile, in the same transaction.
 */
export async function updateTarget(
  db: Kysely<Database>,
  box: SecretBox,
  name: string,
  patchInput: unknown,
  scope: TargetScope = null,
): Promise<TargetView> {
  const patch = parse(TargetPatch, patchInput);
  return db.transaction().execute(async (trx) => {
    const current = await findTarget(trx, name, scope);
    const schemas = KIND_SCHEMAS[current.kind];
    const options = patch.options ? parse(schemas.options, patch.options) : undefined;
    const secrets = patch.secrets ? parse(schemas.secrets, patch.secrets) : undefined;
    const uais = patch.uais;
    if (uais && scope !== null && !uais.every((u) => scope.includes(u))) {
      throw TargetsErrors.INVALID({ problems: 'uais: outside the establishments of the caller' });
    }
    const sealed =
      secrets === undefined
        ? undefined
        : Object.keys(secrets).length > 0
          ? box.seal(secrets, current.kind)
          : null;
    const row = await trx
      .updateTable('target')
      .set((eb) => ({
        ...(uais ? { uais } : {}),
        ...(options ? { options: JSON.stringify(options) as never } : {}),
        ...(sealed !== undefined
          ? {
              secrets_key_id: sealed?.keyId ?? null,
              secrets_ciphertext: sealed?.ciphertext ?? null,
            }
          : {}),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changedUais = uais !== undefined && uais.join(',') !== [...current.uais].sort().join(',');
    if (changedUais) await fullReconcile(trx, row);
    return toTargetView(row, await cursorOf(trx, row.id));
  });
}

/**
 * Suspends a target (its rows are neither dispatched nor applied, and it no longer holds the
 * event log back) or resumes it (a full reconcile: the directory moved while it slept; an outbox
 * kind — webhooks — keeps its cursor instead and delivers what it missed).
 */
export async function setTargetState(
  db: Kysely<Database>,
  name: string,
  state: TargetState,
  actor: string,
  scope: TargetScope = null,
): Promise<TargetView> {
  return db.transaction().execute(async (trx) => {
    const current = await findTarget(trx, name, scope);
    if (current.state === state) return toTargetView(current, await cursorOf(trx, current.id));
    const row = await trx
      .updateTable('target')
      .set((eb) => ({ state, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // An outbox kind (webhooks) resumes where its cursor stopped: nothing it missed is skipped.
    if (state === 'active' && !OUTBOX_KINDS.includes(row.kind))
      await fullReconcile(trx, row, { by: actor });
    return toTargetView(row, await cursorOf(trx, row.id));
  });
}

/** Deletes a target with its cursor and provisioning rows (what it holds is left as it is). */
export async function removeTarget(
  db: Kysely<Database>,
  name: string,
  scope: TargetScope = null,
): Promise<void> {
  const current = await findTarget(db, name, scope);
  await db.deleteFrom('target').where('id', '=', current.id).execute();
}

/** The decrypted secrets of a target ({} when it has none). Never log or return them. */
export function openSecrets(box: SecretBox, target: Target): Record<string, unknown> {
  if (target.secrets_ciphertext === null || target.secrets_key_id === null) return {};
  return box.open(
    { keyId: target.secrets_key_id, ciphertext: target.secrets_ciphertext },
    target.kind,
    target.name,
  );
}
