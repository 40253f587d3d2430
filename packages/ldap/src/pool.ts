import type { LdapConnectionOptions, LdapConnector, LdapSession } from './client.js';
import { LdapErrors } from './errors.js';
import { connectLdapts } from './ldapts-session.js';

export interface LdapPoolSettings {
  /** Connections open at most (default 4). */
  readonly size?: number;
  /**
   * Runs sharing one connection at once (default 1: a run has its connection to itself). LDAP
   * answers by message id, so several operations can be in flight on one connection; a run on a
   * shared connection must not `bind` (that would change the identity of the others).
   */
  readonly perSession?: number;
  /** Retries of an operation after a transient failure (default 3), with doubling delays. */
  readonly retries?: number;
  /** First retry delay (default 200 ms; then ×2 each time). */
  readonly retryBaseMs?: number;
  /** Waits between retries (injected by tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Opens one bound session (default: ldapts). */
  readonly connect?: LdapConnector;
}

/**
 * Bound connections to one server. `run(fn)` lends a session to `fn` (to `perSession` runs at
 * once); when the server is unavailable (`LDAP_ERR_UNAVAILABLE`: refused, reset, timeout, busy),
 * the session is dropped and `fn` runs again on a fresh one after a backoff, up to `retries`
 * times, then the error is surfaced. Other errors (an operation refused for good, a bad bind, a
 * refused certificate) come back at once and the session goes back to the pool. `fn` must be
 * safe to run again (read, then write what differs).
 */
export interface LdapPool {
  readonly url: string;
  run<T>(fn: (session: LdapSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Slot {
  readonly session: LdapSession;
  busy: number;
  dropped: boolean;
}

export function createLdapPool(
  options: LdapConnectionOptions,
  settings: LdapPoolSettings = {},
): LdapPool {
  const size = settings.size ?? 4;
  const perSession = Math.max(1, settings.perSession ?? 1);
  const retries = settings.retries ?? 3;
  const base = settings.retryBaseMs ?? 200;
  const sleep = settings.sleep ?? realSleep;
  const connect = settings.connect ?? connectLdapts;
  const slots: Slot[] = [];
  const waiting: (() => void)[] = [];
  let opening = 0;
  let closed = false;

  const wake = () => waiting.shift()?.();

  async function acquire(): Promise<Slot> {
    for (;;) {
      let best: Slot | undefined;
      for (const s of slots) if (s.busy < perSession && (!best || s.busy < best.busy)) best = s;
      // A new connection before sharing one that is already busy.
      if (best && (best.busy === 0 || slots.length + opening >= size)) {
        best.busy += 1;
        return best;
      }
      if (slots.length + opening < size) {
        opening += 1;
        let session: LdapSession;
        try {
          session = await connect(options);
        } catch (err) {
          opening -= 1;
          wake();
          throw err;
        }
        opening -= 1;
        const slot: Slot = { session, busy: 1, dropped: false };
        slots.push(slot);
        // Runs that waited for this connection may share it.
        for (let i = 1; i < perSession; i += 1) wake();
        return slot;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (closed) throw LdapErrors.UNAVAILABLE({ url: options.url, reason: 'pool closed' });
    }
  }

  function release(slot: Slot): void {
    slot.busy -= 1;
    wake();
  }

  async function discard(slot: Slot): Promise<void> {
    slot.busy -= 1;
    if (!slot.dropped) {
      slot.dropped = true;
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      await slot.session.close();
    }
    // A waiter may now open a connection of its own.
    wake();
  }

  return {
    url: options.url,
    async run<T>(fn: (session: LdapSession) => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt += 1) {
        if (closed) throw LdapErrors.UNAVAILABLE({ url: options.url, reason: 'pool closed' });
        let slot: Slot | undefined;
        try {
          slot = await acquire();
          const result = await fn(slot.session);
          release(slot);
          return result;
        } catch (err) {
          if (!LdapErrors.UNAVAILABLE.is(err)) {
            if (slot) release(slot);
            throw err;
          }
          if (slot) await discard(slot);
          if (attempt >= retries) throw err;
          await sleep(base * 2 ** attempt);
        }
      }
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w();
      const all = slots.splice(0);
      await Promise.all(all.map((s) => ((s.dropped = true), s.session.close())));
    },
  };
}
