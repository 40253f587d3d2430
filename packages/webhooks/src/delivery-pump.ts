import { claimDue, releaseClaimed, type ClaimedDelivery } from './delivery-claim.js';
import { recordSent, type SentDelivery } from './delivery-record.js';
import { loadSender, signingSecrets, type DeliverOptions, type Sender } from './deliver.js';
import { postJson } from './http-client.js';
import { sign } from './signature.js';

export interface PumpLimits {
  /** No claim after this instant (ms, `Date.now()`): what is claimed is still sent and recorded. */
  readonly claimUntil: number;
  /** True when the process is closing: no more claims either. */
  readonly closing: () => boolean;
  /**
   * Receives the pump's poke: new rows were written (a job for this subscription arrived), so
   * claim again even if the last claim found too few. It answers false once the pump has ended
   * (then the caller needs another pass).
   */
  readonly onPoke?: (poke: () => boolean) => void;
}

export interface PumpResult {
  readonly taken: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  /** Why it stopped before running out of due rows. */
  readonly stop?: 'disabled' | 'budget';
}

/**
 * Delivers a subscription's due rows until none is due (or the limits stop the claims), as a
 * stream rather than in batches: at most `concurrency` POSTs in flight, each started as soon as
 * a slot frees, fed by claims that keep up to `3 × concurrency` rows waiting, while finished
 * attempts are recorded in one statement per round trip (all those that finished meanwhile).
 * One claim and one record run at a time, side by side: batches follow the load, no attempt
 * waits for a slower one of its batch, and the database round trips overlap the HTTP. A row
 * whose lease would end before a whole exchange is given back unsent. Order per entity: a claim
 * takes only the oldest pending row of each entity, so the next one is claimed only after this
 * one is recorded. A database error is thrown (rows in flight are left to their lease, as after
 * a crash).
 */
export async function pumpDeliveries(
  o: DeliverOptions,
  targetId: number,
  first: Sender,
  limits: PumpLimits,
): Promise<PumpResult> {
  const width = Math.max(1, o.concurrency);
  const depth = 3 * width;
  const timeout = o.safety.totalTimeoutMs;
  // Claimed rows are ours for a whole exchange and 30 s more (then another claim may retry them).
  const leaseMs = timeout + 30_000;
  const totals = { taken: 0, delivered: 0, failed: 0, dead: 0 };
  let sender = first;
  const waiting: ClaimedDelivery[] = [];
  const unsent: ClaimedDelivery[] = [];
  const finished: (SentDelivery & { readonly row: ClaimedDelivery })[] = [];
  let inFlight = 0;
  let stop: PumpResult['stop'];
  let failure: unknown;
  let claiming = false;
  let recording = false;
  // A claim may find more: the last one was full, or a record released the next rows since.
  let more = true;
  let records = 0;
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  // Once ended, a poke is refused at once (not only when the caller resumes): the runtime then
  // starts another pass rather than waking a pump nobody awaits any more.
  let over = false;
  const end = () => {
    over = true;
    resolveEnded();
  };

  const send = async (row: ClaimedDelivery, to: Sender) => {
    const at = new Date(o.now());
    const secrets = signingSecrets(to.secrets, at.getTime());
    o.probe?.sending?.(row.seq, Date.now());
    const headers = sign(secrets, `msg_${row.id}`, Math.floor(at.getTime() / 1000), row.body);
    const result = await postJson(to.url, { ...headers }, row.body, o.safety); // never throws
    finished.push({ row, result, at });
  };
  // Fills the free slots from the waiting rows, in claim order (seq).
  const startSends = () => {
    while (inFlight < width && waiting.length > 0 && !stop) {
      const row = waiting.shift() as ClaimedDelivery;
      if (o.now() + timeout > row.leaseUntil) {
        unsent.push(row); // another claim could take it during the exchange: give it back
        continue;
      }
      inFlight++;
      send(row, sender)
        .catch((err: unknown) => (failure ??= err)) // a secret that cannot sign: the job fails
        .finally(() => {
          inFlight--;
          startSends();
          step();
        });
    }
  };
  const record = async () => {
    const batch = finished.splice(0);
    const given = unsent.splice(0);
    if (batch.length > 0) {
      const r = await recordSent(o, sender, batch);
      o.probe?.recorded?.(
        batch.map((b) => b.row.seq),
        Date.now(),
      );
      totals.delivered += r.delivered;
      totals.failed += r.failed;
      totals.dead += r.dead;
      if (r.disabled) stop = 'disabled';
      records++; // the next row of each entity recorded may be due now
      more = true;
    }
    if (given.length > 0) await releaseClaimed(o.db, given, o.now());
  };
  const claim = async (want: number) => {
    const recordsBefore = records;
    const now = o.now();
    // The window: what this job holds (in flight, waiting) comes first in seq order, twice over.
    const rows = await claimDue(o.db, targetId, want, now, now + leaseMs, 2 * (width + depth));
    o.probe?.claimed?.(
      rows.map((r) => r.seq),
      Date.now(),
    );
    more = rows.length === want || records !== recordsBefore;
    totals.taken += rows.length;
    const version = rows[0]?.targetVersion;
    if (version !== undefined && version !== sender.version) {
      const reloaded = await loadSender(o, targetId);
      if (!reloaded) {
        stop = 'disabled'; // cannot happen while leased rows were returned
        unsent.push(...rows);
        return;
      }
      sender = reloaded;
    }
    waiting.push(...rows);
    startSends();
  };
  const run = (task: () => Promise<void>, done: () => void) => {
    task()
      .catch((err: unknown) => (failure ??= err))
      .finally(() => {
        done();
        step();
      });
  };
  // Decides what to do next; called after every event (a claim, a record, an attempt finished).
  const step = () => {
    if (failure) {
      end();
      return;
    }
    if (!stop && (Date.now() >= limits.claimUntil || limits.closing())) stop = 'budget';
    // Stopping: what waits for a slot is given back (due at once for the next job).
    if (stop) unsent.push(...waiting.splice(0));
    if (!recording && (finished.length > 0 || unsent.length > 0)) {
      recording = true;
      run(record, () => (recording = false));
    }
    const want = width + depth - inFlight - waiting.length;
    // Claim when a good share of the buffer is free (or nothing at all is going on).
    if (!claiming && !stop && more && (want >= width / 2 || inFlight + waiting.length === 0)) {
      claiming = true;
      run(
        () => claim(want),
        () => (claiming = false),
      );
    }
    const idle = !claiming && !recording && inFlight === 0 && waiting.length === 0;
    if (idle && finished.length === 0 && unsent.length === 0 && (!more || stop)) end();
  };

  limits.onPoke?.(() => {
    if (over) return false;
    more = true;
    step();
    return true;
  });
  step();
  await ended;
  if (failure) throw failure;
  return stop ? { ...totals, stop } : totals;
}
