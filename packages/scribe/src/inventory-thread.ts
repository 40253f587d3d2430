import { Worker } from 'node:worker_threads';
import type { LdapConnectionOptions } from '@aaf-sync/ldap';
import type { HeldEntry } from '@aaf-sync/targets';
import type { DigestPlan } from './entry-digest.js';
import type { ListingMode } from './held-listing.js';
import { errorFromWire, unpackHeld, type PackedHeld, type WireError } from './held-wire.js';
import type { ScribeProfile } from './profile.js';

/** What the inventory worker is started with (its `workerData`: holds the bind password). */
export interface InventoryWorkerData {
  readonly connection: LdapConnectionOptions;
  readonly pool: {
    readonly size: number;
    readonly perSession: number;
    readonly retries?: number;
    readonly retryBaseMs?: number;
  };
  readonly baseDn: string;
  readonly profile: ScribeProfile;
  readonly concurrency: number;
}

export interface InventoryRequest {
  readonly uais: readonly string[];
  readonly mode: ListingMode;
}

export type InventoryReply =
  | { readonly ok: true; readonly held: PackedHeld }
  | { readonly ok: false; readonly error: WireError };

// Built: the worker's `.js` next to this file; from the sources under tsx (tests): its `.ts`.
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './inventory-worker.ts' : './inventory-worker.js',
  import.meta.url,
);

/**
 * The Scribe driver's inventory in a worker thread: `list` lists and digests what the server
 * holds there (`listHeld`, on the worker's own connections) while this thread goes on (the full
 * reconcile reads the directory's accounts meanwhile); the entries come back as arrays of strings,
 * their digests on `plans` (this thread's digester's). One listing at a time. The worker is
 * started on the first listing and kept for the next ones (a reconcile's chunks); it ends on
 * `close` and on an error, which `list` throws as it was thrown there (an `AppError` keeps its
 * code, message and details). It does not keep the process alive between listings.
 */
export function inventoryThread(data: InventoryWorkerData, plans: readonly DigestPlan[]) {
  let worker: Worker | undefined;
  let waiting: { resolve: (h: HeldEntry[]) => void; reject: (e: unknown) => void } | undefined;
  let turn: Promise<unknown> = Promise.resolve();

  const settle = (fn: (w: NonNullable<typeof waiting>) => void) => {
    const w = waiting;
    waiting = undefined;
    worker?.unref();
    if (w) fn(w);
  };

  const start = (): Worker => {
    const w = new Worker(WORKER, { workerData: data });
    w.on('message', (reply: InventoryReply) => {
      w.unref();
      if (reply.ok) {
        settle((p) => p.resolve(unpackHeld(reply.held, plans)));
      } else {
        // The worker ends after an error (it closes its connections); the next listing starts
        // another.
        if (worker === w) worker = undefined;
        settle((p) => p.reject(errorFromWire(reply.error)));
      }
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      settle((p) => p.reject(err));
      void w.terminate();
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      settle((p) => p.reject(new Error(`the Scribe inventory worker stopped (exit code ${code})`)));
    });
    return w;
  };

  const once = (request: InventoryRequest) =>
    new Promise<HeldEntry[]>((resolve, reject) => {
      const w = (worker ??= start());
      waiting = { resolve, reject };
      w.ref();
      w.postMessage(request);
    });

  return {
    /** Whether the worker is running (started by a listing, until `close` or an error). */
    get running(): boolean {
      return worker !== undefined;
    },
    list(uais: readonly string[], mode: ListingMode): Promise<HeldEntry[]> {
      const result = turn.then(
        () => once({ uais, mode }),
        () => once({ uais, mode }),
      );
      turn = result.catch(() => undefined);
      return result;
    },
    /** Ends the worker (its connections closed first); waits for it. */
    async close(): Promise<void> {
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.ref();
      w.postMessage('close');
      await exited;
    },
  };
}

export type InventoryThread = ReturnType<typeof inventoryThread>;
