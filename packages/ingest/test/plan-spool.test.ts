// The plan spool gives its items back as they were added, in order, in batches: across the
// reads of its file (more than a mebibyte of lines), with text JSON escapes and multi-byte
// characters, without the items of a dropped file or those `keep` refuses.
import t from 'tap';
import type { PlanItem } from '../src/plan/plan-item.js';
import { PlanSpool } from '../src/plan/plan-spool.js';

/** A person departure item (the smallest kind) carrying `text` in its structures. */
const item = (n: number, text: string, fileId: number | null = 1): PlanItem => ({
  entity: 'person',
  action: 'depart',
  key: `P${n}`,
  unit: null,
  baseVersion: 1,
  fileId,
  payload: { personId: n, structures: [text], reason: 'absent' },
});

t.test('items come back whole, in order, batch by batch', async (t) => {
  const spool = await PlanSpool.create(1, t.testdir());
  t.teardown(() => spool.dispose());
  const texts = ['Zoé « Ω » 😀', 'line\nbreak\r\ttab \\ "q"', '\u2028\u2029', 'x'.repeat(3000)];
  const added: PlanItem[] = [];
  // ~1.6 MiB of lines: several reads of the file, lines cut across them
  for (let n = 0; n < 1200; n++) {
    const it = item(n, `${texts[n % texts.length]}${n}`, n % 7 === 0 ? 2 : 1);
    added.push(it);
    await spool.add(it);
  }
  spool.dropFile(2);
  await spool.close();
  const batches: PlanItem[][] = [];
  for await (const b of spool.batches(100)) batches.push(b);
  const expected = added.filter((i) => i.fileId !== 2);
  t.same(batches.flat(), expected, 'every item of the kept files, as added');
  t.ok(
    batches.slice(0, -1).every((b) => b.length === 100),
    'full batches but the last',
  );
  const kept: PlanItem[] = [];
  for await (const b of spool.batches(1000, (i) => i.key.endsWith('5'))) kept.push(...b);
  t.same(
    kept,
    expected.filter((i) => i.key.endsWith('5')),
    'only what keep accepts',
  );
});

t.test('an empty spool gives no batch', async (t) => {
  const spool = await PlanSpool.create(2, t.testdir());
  t.teardown(() => spool.dispose());
  await spool.close();
  const batches: PlanItem[][] = [];
  for await (const b of spool.batches(10)) batches.push(b);
  t.same(batches, []);
});
