// What mapping records to directory keys (packages/ingest plan/keyed-record.ts) costs planning,
// per pupil record, against normalising it (the baseline, measured in the same run).
// Run: pnpm bench:scope-keys [records=100000]
// Prints JSON: seconds and records/s of each pass, and each ratio to the baseline:
//   normalize   normalizeRecord of every record (baseline)
//   plain       + keyedInDelivery in a single-scope deployment (keys are the ids: no mapping)
//   mapped      + keyedPersonRecord with keys equal to the ids (several scopes, no id reused)
//   qualified   + keyedPersonRecord with every person and structure id looked up in maps
//               holding a qualified key for each (two académies reusing every id: the worst case)
// The records are read once into memory (the reader is not measured). Machine load is printed:
// absolute times vary on shared 2-core machines, the ratios are what to read.
import { loadavg } from 'node:os';
import {
  normalizeRecord,
  readAafFile,
  type PersonRecord,
  type RawRecord,
} from '../packages/aaf/src/index.js';
import { keyedInDelivery, keyedPersonRecord } from '../packages/ingest/src/plan/keyed-record.js';
import type { DeliveryState } from '../packages/ingest/src/plan/delivery-state.js';
import { syntheticPupilFile } from './aaf-synthetic.js';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);

const raws: RawRecord[] = [];
const items = readAafFile(syntheticPupilFile(count), { fileName: 'bench.xml', entity: 'Eleve' });
for (;;) {
  const step = await items.next();
  if (step.done === true) break;
  if (step.value.type === 'record') raws.push(step.value.record);
}

const identity = (id: string) => id;
const persons = new Map<string, string>();
const structures = new Map<string, string>();
for (const raw of raws) {
  const { record } = normalizeRecord('Eleve', raw.id, raw.attributes);
  if (record?.kind !== 'person') continue;
  persons.set(record.jointure, `${record.jointure}@B`);
  for (const r of record.relatives) persons.set(r.jointure, `${r.jointure}@B`);
  for (const s of record.structures) structures.set(s, `${s}@B`);
}
const qualified = (map: Map<string, string>) => (id: string) => map.get(id) ?? id;

/** Seconds of one pass over every record; `map`: the key mapping after normalising, if any. */
function pass(map?: (r: PersonRecord) => PersonRecord): number {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (const raw of raws) {
    const { record } = normalizeRecord('Eleve', raw.id, raw.attributes);
    if (record?.kind !== 'person') continue;
    sink += (map ? map(record) : record).relatives.length;
  }
  if (sink < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const single = {
  personKeys: { plain: true },
  structures: { plainKeys: true },
} as unknown as DeliveryState;
const plain = (r: PersonRecord) => keyedInDelivery(single, r, r.jointure, identity);
const mapped = (r: PersonRecord) => keyedPersonRecord(r, identity, identity);
const worst = (r: PersonRecord) => keyedPersonRecord(r, qualified(persons), qualified(structures));
pass(); // warm-up
const runs = {
  normalize: [] as number[],
  plain: [] as number[],
  mapped: [] as number[],
  qualified: [] as number[],
};
for (let i = 0; i < 5; i++) {
  runs.normalize.push(pass());
  runs.plain.push(pass(plain));
  runs.mapped.push(pass(mapped));
  runs.qualified.push(pass(worst));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(runs.normalize);
const phase = (xs: number[]) => ({
  seconds: Number(median(xs).toFixed(3)),
  recordsPerSec: Math.round(raws.length / median(xs)),
  ratioToNormalize: Number((median(xs) / base).toFixed(3)),
});
console.log(
  JSON.stringify(
    {
      records: raws.length,
      normalize: phase(runs.normalize),
      plain: phase(runs.plain),
      mapped: phase(runs.mapped),
      qualified: phase(runs.qualified),
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    },
    null,
    2,
  ),
);
