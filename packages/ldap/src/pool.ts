import type { LdapConnectionOptions, LdapConnector, LdapSession } from './client.js';
import { LdapErrors } from './errors.js';
import { connectLdapts } from './ldapts-session.js';

export interface LdapPoolSettings {
  /** Connections open at most (default 4). */
  readonly size?: number;
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
 * Bound connections to one server. `run(fn)` lends a session to `fn`; when the server is
 * unavailable (`LDAP_ERR_UNAVAILABLE`: refused, reset, timeout, busy), the session is dropped and
 * `fn` runs again on a fresh one after a backoff, up to `retries` times, then the error is
 * surfaced. Other errors (an operation refused for good, a bad bind) come back at once and the
 * session goes back to the pool. `fn` must be safe to run again (read, then write what differs).
 */
export interface LdapPool {
  readonly url: string;
  run<T>(fn: (session: LdapSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createLdapPool(
  options: LdapConnectionOptions,
  settings: LdapPoolSettings = {},
): LdapPool {
  const size = settings.size ?? 4;
  const retries = settings.retries ?? 3;
  const base = settings.retryBaseMs ?? 200;
  const sleep = settings.sleep ?? realSleep;
  const connect = settings.connect ?? connectLdapts;
  const idle: LdapSession[] = [];
  const waiting: ((s: LdapSession | null) => void)[] = [];
  let open = 0;
  let closed = false;

  async function acquire(): Promise<LdapSession> {
    const ready = idle.pop();
    if (ready) return ready;
    if (open < size) {
      open += 1;
      try {
        return await connect(options);
      } catch (err) {
        open -= 1;
        throw err;
      }
    }
    const s = await new Promise<LdapSession | null>((resolve) => waiting.push(resolve));
    return s ?? acquire();
  }

  function release(s: LdapSession): void {
    const next = waiting.shift();
    if (next) next(s);
    else idle.push(s);
  }

  async function discard(s: LdapSession): Promise<void> {
    open -= 1;
    await s.close();
    // A waiter may now open a connection of its own.
    waiting.shift()?.(null);
  }

  return {
    url: options.url,
    async run<T>(fn: (session: LdapSession) => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt += 1) {
        if (closed) throw LdapErrors.UNAVAILABLE({ url: options.url, reason: 'pool closed' });
        let session: LdapSession | undefined;
        try {
          session = await acquire();
          const result = await fn(session);
          release(session);
          return result;
        } catch (err) {
          if (!LdapErrors.UNAVAILABLE.is(err)) {
            if (session) release(session);
            throw err;
          }
          if (session) await discard(session);
          if (attempt >= retries) throw err;
          await sleep(base * 2 ** attempt);
        }
      }
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w(null);
      const sessions = idle.splice(0);
      open -= sessions.length;
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}
