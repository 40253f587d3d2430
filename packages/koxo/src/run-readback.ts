import { sql, type Database, type Kysely } from '@aaf-sync/db';
import type { AppError } from '@aaf-sync/errors';
import type { LdapConnector } from '@aaf-sync/ldap';
import type { DriverTarget } from '@aaf-sync/targets';
import { KoxoErrors } from './errors.js';
import { koxoOptions, type KoxoReadBackOptions } from './koxo-options.js';
import { readAdAccounts, type AdAccount } from './read-ad-accounts.js';
import {
  finishRun,
  personsByJointure,
  publishedPersons,
  recordFound,
  recordMissing,
  startRun,
  type UnknownAdEntry,
} from './readback.repository.js';

export interface ReadBackContext {
  readonly db: Kysely<Database>;
  /** How to open an LDAP session (default: packages/ldap's `connectLdapts`). */
  readonly connect?: LdapConnector;
  readonly now?: () => Date;
}

/** A `koxo` target with its secrets opened (as `driverFor` gives it). */
export type ReadBackTarget = Pick<DriverTarget, 'id' | 'name' | 'uais' | 'options' | 'secrets'>;

export interface ReadBackRunResult {
  readonly runId: number;
  readonly status: 'ok' | 'failed';
  /** Why the run failed (the AD could not be read); null when it succeeded. */
  readonly error: string | null;
  readonly counts: Readonly<Record<string, number>>;
}

/** The read-back block and bind password of a target, or KOXO_ERR_READBACK_NOT_CONFIGURED. */
export function readBackSettings(target: ReadBackTarget): {
  options: KoxoReadBackOptions;
  bindPassword: string;
} {
  const { readBack } = koxoOptions(target);
  const bindPassword = target.secrets['bindPassword'];
  if (!readBack || typeof bindPassword !== 'string' || bindPassword === '') {
    throw KoxoErrors.READBACK_NOT_CONFIGURED({
      target: target.name,
      missing: readBack ? 'secret bindPassword' : 'options.readBack',
    });
  }
  return { options: readBack, bindPassword };
}

function messageOf(err: unknown): string {
  const e = err as Partial<AppError> & Error;
  return e.code ? `${e.code}: ${e.message}` : e.message || String(err);
}

/** Matches the AD accounts to persons and records found, missing and unknown in one transaction. */
async function record(
  db: Kysely<Database>,
  target: ReadBackTarget,
  runId: number,
  at: Date,
  accounts: readonly AdAccount[],
): Promise<{ counts: Record<string, number>; unknown: UnknownAdEntry[] }> {
  // One entry per employeeNumber: the first by DN; the others are counted as duplicates.
  const sorted = [...accounts].sort((a, b) => (a.dn < b.dn ? -1 : a.dn > b.dn ? 1 : 0));
  const byNumber = new Map<string, AdAccount>();
  let duplicates = 0;
  for (const a of sorted) {
    if (byNumber.has(a.employeeNumber)) duplicates++;
    else byNumber.set(a.employeeNumber, a);
  }
  return db.transaction().execute(async (trx) => {
    const persons = await personsByJointure(trx, target.id, [...byNumber.keys()]);
    const found: { personId: number; account: AdAccount }[] = [];
    const unknown: UnknownAdEntry[] = [];
    for (const [number, account] of byNumber) {
      const personId = persons.get(number);
      if (personId === undefined) {
        unknown.push({
          employeeNumber: number,
          dn: account.dn,
          samAccountName: account.samAccountName,
          uai: account.uai,
        });
      } else found.push({ personId, account });
    }
    const seen = new Set(found.map((f) => f.personId));
    const missing = (await publishedPersons(trx, target.id)).filter((id) => !seen.has(id));
    await recordFound(trx, target.id, runId, at, found);
    await recordMissing(trx, target.id, runId, at, missing);
    const counts = {
      entries: accounts.length,
      matched: found.length,
      unknown: unknown.length,
      duplicates,
      missing: missing.length,
    };
    await finishRun(trx, runId, { status: 'ok', at, counts, unknown });
    return { counts, unknown };
  });
}

/**
 * Reads a KoXo site's Active Directory back, now: one paged search for every user carrying an
 * employeeNumber under the read-back base DN, matched to the directory by jointure; each
 * account's real sAMAccountName, DN, home directory and enabled state are recorded in
 * `koxo_readback`, accounts the target published but the AD lacks get one more missing run,
 * and entries whose employeeNumber the directory does not know are kept on the run. One run
 * per target at a time (session advisory lock: KOXO_ERR_READBACK_BUSY).
 *
 * When the AD cannot be read (unreachable, bind or search refused) the run is recorded
 * `failed` with the reason and nothing else changes: the values read before stay, no account
 * is counted missing. The result says so (`status: 'failed'`); it does not throw.
 */
export async function runKoxoReadBack(
  ctx: ReadBackContext,
  target: ReadBackTarget,
): Promise<ReadBackRunResult> {
  const { options, bindPassword } = readBackSettings(target);
  const now = ctx.now ?? (() => new Date());
  return ctx.db.connection().execute(async (conn) => {
    const lockKey = `koxo-readback:${target.id}`;
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(hashtext(${lockKey})) as locked
    `.execute(conn);
    if (!rows[0]?.locked) throw KoxoErrors.READBACK_BUSY({ target: target.name });
    try {
      const runId = await startRun(ctx.db, target.id, now());
      let accounts: AdAccount[];
      try {
        accounts = await readAdAccounts(options, bindPassword, ctx.connect);
      } catch (err) {
        const error = messageOf(err);
        await finishRun(ctx.db, runId, { status: 'failed', at: now(), error });
        return { runId, status: 'failed' as const, error, counts: {} };
      }
      try {
        const { counts } = await record(ctx.db, target, runId, now(), accounts);
        return { runId, status: 'ok' as const, error: null, counts };
      } catch (err) {
        // The recording transaction rolled back: the run says why, the values stay as they were.
        await finishRun(ctx.db, runId, { status: 'failed', at: now(), error: messageOf(err) });
        throw err;
      }
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(conn);
    }
  });
}
