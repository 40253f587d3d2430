// Flat memory: a ~94 MiB file (200k short records, generated as it is read, never materialised)
// streamed through the reader and the normaliser never makes the heap (+ Buffers) grow by more
// than a bounded amount: buffering the file, or keeping the records, would pass the limit.
// A memory assertion, not a timing one.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { syntheticPupilFile } from '../../../bench/aaf-synthetic.js';
import { normalizeRecord, readAafFile } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RECORDS = 200_000;
const LIMIT = 64 * 1024 * 1024;

/** JS heap plus external memory (Buffers live outside the heap), after a full collection. */
function settledHeap(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

t.test(`${RECORDS} records streamed with bounded heap growth`, async (t) => {
  const baseline = settledHeap();
  let peak = 0;
  let records = 0;
  const reader = readAafFile(syntheticPupilFile(RECORDS, { compact: true }), {
    fileName: 'synthetic.xml',
    entity: 'Eleve',
  });
  for (;;) {
    const step = await reader.next();
    if (step.done === true) {
      t.equal(step.value.records, RECORDS);
      t.ok(
        step.value.bytes > 80 * 1024 * 1024,
        `${Math.round(step.value.bytes / 2 ** 20)} MiB read`,
      );
      break;
    }
    const item = step.value;
    if (item.type !== 'record') throw new Error(JSON.stringify(item));
    // the normaliser too (one record in ten: it keeps no state between records)
    if (records % 10 === 0) {
      const { record } = normalizeRecord('Eleve', item.record.id, item.record.attributes);
      if (record === null) throw new Error(`record ${item.record.id} rejected`);
    }
    if (++records % 20_000 === 0) peak = Math.max(peak, settledHeap() - baseline);
  }
  t.equal(records, RECORDS);
  t.ok(
    peak < LIMIT,
    `heap + external growth ${Math.round(peak / 2 ** 20)} MiB < ${LIMIT / 2 ** 20} MiB`,
  );
});
