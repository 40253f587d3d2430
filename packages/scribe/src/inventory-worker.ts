// The Scribe driver's inventory worker (a worker thread, `inventory-thread.ts` starts it): lists
// and digests what the server holds on its own connections while the driver's thread reads the
// directory's accounts, and posts back keys and digests only (`held-wire.ts`). Its settings
// (with the bind password) come as `workerData`, never logged. It ends on `close`, and on any
// error (posted back first).
import { parentPort, workerData } from 'node:worker_threads';
import { createLdapPool, type LdapPool } from '@aaf-sync/ldap';
import { scribeDit } from './dit.js';
import { entryDigester } from './entry-digest.js';
import { listHeld, NUMBERS } from './held-listing.js';
import { errorToWire, packHeld } from './held-wire.js';
import type { InventoryRequest, InventoryWorkerData, InventoryReply } from './inventory-thread.js';

const setup = workerData as InventoryWorkerData;
const port = parentPort!;
const dit = scribeDit(setup.baseDn, setup.profile);
const digester = entryDigester(setup.profile, NUMBERS);
let pool: LdapPool | undefined;

async function end(): Promise<void> {
  await pool?.close().catch(() => undefined);
  pool = undefined;
  port.close();
}

port.on('message', (m: InventoryRequest | 'close') => {
  if (m === 'close') {
    void end();
    return;
  }
  pool ??= createLdapPool(setup.connection, setup.pool);
  listHeld({
    pool,
    baseDn: setup.baseDn,
    dit,
    profile: setup.profile,
    digester,
    uais: m.uais,
    mode: m.mode,
    concurrency: setup.concurrency,
  }).then(
    (entries) => {
      const reply: InventoryReply = { ok: true, held: packHeld(entries, digester.plans) };
      port.postMessage(reply);
    },
    (err: unknown) => {
      const reply: InventoryReply = { ok: false, error: errorToWire(err) };
      port.postMessage(reply);
      void end();
    },
  );
});
