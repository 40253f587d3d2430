import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';

const SOURCE = resolve(import.meta.dirname, '../src/garbage-collector.ts');
const SERVICES = resolve(import.meta.dirname, '../../../services');

/**
 * In a Node process of its own, under the engine's heap caps: objects of one allocation site,
 * all kept alive, then a batch of 5,000 more from the same site, 40 times over. Answers in how
 * many rounds the batch went straight to the old generation (pretenured) instead of the young
 * one. `--single-threaded` (no concurrent compiler or collector) and the function optimised
 * first make V8's decisions the same at every run.
 */
function pretenuredRounds(tuned: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { tuneGarbageCollector } = await import(${JSON.stringify(SOURCE)});
    if (${tuned}) tuneGarbageCollector();
    const used = (name) => getHeapSpaceStatistics().find((s) => s.space_name === name).space_used_size;
    function fill(n, out) {
      for (let i = 0; i < n; i++) out.push({ a: i, b: i + 1, c: null, d: 'x' });
      return out;
    }
    new Function('f', '%PrepareFunctionForOptimization(f); f(10, []); f(10, []); %OptimizeFunctionOnNextCall(f); f(10, []);')(fill);
    const keep = [];
    let rounds = 0;
    for (let round = 0; round < 40; round++) {
      const [old, young] = [used('old_space'), used('new_space')];
      const batch = fill(5000, []);
      if (used('new_space') >= young && used('old_space') - old > 5000 * 24) rounds++;
      keep.push(batch, fill(50000, []));
    }
    process.stdout.write(String(rounds));`;
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=256',
      '--max-semi-space-size=16',
      '--allow-natives-syntax',
      '--single-threaded',
      '--input-type=module',
      '-e',
      script,
    ],
    { encoding: 'utf8' },
  );
  return Number(out);
}

t.test(
  'objects that survived a scavenge do not make V8 allocate the next ones as old',
  async (t) => {
    t.ok(pretenuredRounds(false) > 0, 'untuned, V8 pretenures the site (what the test detects)');
    t.equal(pretenuredRounds(true), 0, 'tuned, every batch is allocated young');
  },
);

t.test('every service entry point tunes the collector first', async (t) => {
  for (const service of readdirSync(SERVICES)) {
    const main = readFileSync(join(SERVICES, service, 'src/main.ts'), 'utf8');
    const code = main.split('\n').filter((l) => !/^\s*(import |\/\/|#!|$)/.test(l));
    t.equal(code[0], 'tuneGarbageCollector();', `services/${service}`);
  }
});
