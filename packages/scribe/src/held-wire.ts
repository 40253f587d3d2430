import { AppError, isAppError } from '@aaf-sync/errors';
import type { HeldEntry } from '@aaf-sync/targets';
import type { DigestPlan, EntryDigest } from './entry-digest.js';

/**
 * Held entries as the inventory worker posts them back: arrays of strings (and plan numbers),
 * cheap to copy between threads, instead of an object per entry. `counts[i]`: how many digests
 * entry `i` has (1 as a rule: one object; otherwise a list); the digest columns hold them in
 * order, `plans` naming each one's plan by its index in `EntryDigester.plans`.
 */
export interface PackedHeld {
  readonly keys: string[];
  readonly uais: string[];
  readonly counts: number[];
  readonly plans: number[];
  readonly force: string[];
  readonly keep: string[];
  readonly merge: string[];
  readonly groups: string[];
}

export function packHeld(entries: readonly HeldEntry[], plans: readonly DigestPlan[]): PackedHeld {
  const index = new Map(plans.map((p, i) => [p, i]));
  const out: PackedHeld = {
    keys: [],
    uais: [],
    counts: [],
    plans: [],
    force: [],
    keep: [],
    merge: [],
    groups: [],
  };
  for (const e of entries) {
    const list = (Array.isArray(e.digest) ? e.digest : [e.digest]) as EntryDigest[];
    out.keys.push(e.key);
    out.uais.push(e.uai ?? '');
    out.counts.push(Array.isArray(e.digest) ? list.length : 1);
    for (const d of list) {
      out.plans.push(index.get(d.plan)!);
      out.force.push(d.force);
      out.keep.push(d.keep);
      out.merge.push(d.merge);
      out.groups.push(d.groups);
    }
  }
  return out;
}

/** The held entries again, their digests on this thread's plans (compared by identity). */
export function unpackHeld(p: PackedHeld, plans: readonly DigestPlan[]): HeldEntry[] {
  // The same few strings for most entries (keep flags, object classes, groups): shared again.
  const shared = new Map<string, string>();
  const share = (s: string) => {
    const known = shared.get(s);
    if (known !== undefined) return known;
    if (shared.size < 10_000) shared.set(s, s);
    return s;
  };
  const out: HeldEntry[] = new Array<HeldEntry>(p.keys.length);
  let j = 0;
  const next = (): EntryDigest => {
    const d: EntryDigest = {
      plan: plans[p.plans[j]!]!,
      force: p.force[j]!,
      keep: share(p.keep[j]!),
      merge: share(p.merge[j]!),
      groups: share(p.groups[j]!),
    };
    j += 1;
    return d;
  };
  for (let i = 0; i < p.keys.length; i += 1) {
    const n = p.counts[i]!;
    let digest: EntryDigest | EntryDigest[];
    if (n === 1) digest = next();
    else {
      digest = [];
      for (let k = 0; k < n; k += 1) digest.push(next());
    }
    out[i] = { key: p.keys[i]!, uai: p.uais[i] || null, digest };
  }
  return out;
}

/** An error as the worker posts it: an `AppError` keeps its code, message and details. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly app?: { code: string; status: number; retryable: boolean; details: unknown };
  readonly cause?: { name: string; message: string };
}

export function errorToWire(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause =
    e.cause instanceof Error ? { name: e.cause.name, message: e.cause.message } : undefined;
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(isAppError(e)
      ? {
          app: {
            code: e.code,
            status: e.status,
            retryable: e.retryable,
            // Plain data (values the catalogue's messages are made of).
            details: JSON.parse(JSON.stringify(e.details)) as unknown,
          },
        }
      : {}),
    ...(cause ? { cause } : {}),
  };
}

/** The error again on this thread: an `AppError` with the same code, message and details. */
export function errorFromWire(w: WireError): Error {
  const cause = w.cause
    ? Object.assign(new Error(w.cause.message), { name: w.cause.name })
    : undefined;
  const err = w.app
    ? new AppError(
        w.app,
        w.message,
        w.app.details as Record<string, unknown>,
        cause ? { cause } : undefined,
      )
    : Object.assign(new Error(w.message, cause ? { cause } : undefined), { name: w.name });
  if (w.stack !== undefined) err.stack = w.stack;
  return err;
}
