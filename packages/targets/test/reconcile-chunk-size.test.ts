import t from 'tap';
import { chunkAccountsFor } from '../src/index.js';

t.test("a full reconcile's chunk follows the process' heap", async (t) => {
  const mib = 1024 * 1024;
  // The CLI: --max-old-space-size=256 and 16 MB semi-spaces (V8 reports about 304 MiB).
  t.ok(
    chunkAccountsFor(304 * mib) >= 9_000 && chunkAccountsFor(304 * mib) <= 11_000,
    'about 10,000 accounts at once in the CLI (166 MB of heap measured for 10,000)',
  );
  t.ok(chunkAccountsFor(4096 * mib) > 50_000, 'a default heap compares 50,000 in one piece');
  t.equal(chunkAccountsFor(64 * mib), 2_000, 'never below 2,000');
  t.ok(chunkAccountsFor(512 * mib) > chunkAccountsFor(304 * mib), 'grows with the heap');
});
