import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import t from 'tap';
import { generateAcademie } from '../src/index.js';

// Live heap is measured after a forced collection, so garbage does not count.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

t.test('memory stays flat while ~100k persons are generated', async (t) => {
  const out = t.testdir({});
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  }, 1000);
  try {
    const result = await generateAcademie({ out, seed: 3, persons: 100_000, chunkSize: 20_000 });
    t.ok(result.bytes > 150e6, `${Math.round(result.bytes / 1e6)} MB written`);
  } finally {
    clearInterval(timer);
  }
  t.ok(peak > 0, 'the heap was sampled during generation');
  t.ok(peak < 100e6, `live heap growth ${Math.round(peak / 1e6)} MB stays under 100 MB`);
});
