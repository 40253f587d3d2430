import type { LdapPool } from './pool.js';

/**
 * A directory target's connection test (`TargetDriver.test`): binds through the pool and reads
 * the base DN. Never rejects: what went wrong is in `detail`, including a pool that cannot be
 * opened (`pool` is called inside, e.g. a driver refusing a clear URL).
 */
export async function probeBaseDn(
  pool: () => LdapPool,
  o: { readonly bindDn: string; readonly baseDn: string },
): Promise<{ ok: boolean; detail: string }> {
  try {
    const base = await pool().run((s) => s.read(o.baseDn, ['1.1']));
    return base
      ? { ok: true, detail: `bound as ${o.bindDn}; ${o.baseDn} found` }
      : { ok: false, detail: `bound as ${o.bindDn}; ${o.baseDn} does not exist` };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
