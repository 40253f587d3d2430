// Parse speed of the AAF reader (+ normaliser) on a generated in-memory file of N pupils.
// Run: pnpm -s exec tsx bench/aaf-parse.bench.ts [records=100000] [--no-normalize] [--baseline]
// Prints JSON: { records, bytes, seconds, mibPerSec, recordsPerSec, peakRssMb }.
// --baseline: bare saxes (no handler work) over the same bytes, the floor for comparison.
import { SaxesParser } from 'saxes';
import { normalizeRecord, readAafFile } from '../packages/aaf/src/index.js';
import { syntheticPupilFile } from './aaf-synthetic.js';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const normalize = !process.argv.includes('--no-normalize');
const baseline = process.argv.includes('--baseline');

/** Decodes and parses with saxes alone, counting `addRequest` elements. */
async function bareSaxes(): Promise<{ records: number; bytes: number }> {
  const parser = new SaxesParser({ position: true });
  let records = 0;
  let bytes = 0;
  parser.on('opentag', (tag) => {
    if (tag.name === 'addRequest') records++;
  });
  parser.on('text', () => undefined);
  parser.on('closetag', () => undefined);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of syntheticPupilFile(count)) {
    bytes += (chunk as Buffer).length;
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
  }
  parser.close();
  return { records, bytes };
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

/** The reader (+ normaliser) over the generated file. */
async function reader(): Promise<{ records: number; bytes: number }> {
  const items = readAafFile(syntheticPupilFile(count), { fileName: 'bench.xml', entity: 'Eleve' });
  let records = 0;
  for (;;) {
    const step = await items.next();
    if (step.done === true) return { records, bytes: step.value.bytes };
    if (step.value.type !== 'record') throw new Error('unexpected reject');
    records++;
    if (normalize) normalizeRecord('Eleve', step.value.record.id, step.value.record.attributes);
  }
}

const started = process.hrtime.bigint();
const { records, bytes } = baseline ? await bareSaxes() : await reader();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

console.log(
  JSON.stringify({
    records,
    bytes,
    mode: baseline ? 'bare saxes' : normalize ? 'reader + normalizer' : 'reader',
    seconds: Number(seconds.toFixed(3)),
    mibPerSec: Number((bytes / 2 ** 20 / seconds).toFixed(1)),
    recordsPerSec: Math.round(records / seconds),
    peakRssMb: Math.round(peakRss / 2 ** 20),
  }),
);
