import { join } from 'node:path';
import t from 'tap';
import { decideHeldPlan, type ImportReport } from '../src/index.js';
import { count, harness, variant } from './helpers.js';

/** The EtabEducNat file of a report, with what its records came to. */
const etab = (r: ImportReport) => r.files.find((f) => f.entity === 'EtabEducNat')!;

t.test('a structure held for its UAI is counted held, and created once approved', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }));
  const held = (
    await h.ingest(
      variant(join(t.testdirName, 'd'), {
        from: '2d',
        pick: 'Complet_20240907_EtabEducNat',
        kind: 'Delta',
        date: '20240910',
        replace: [['910001', '910008']],
      }),
    )
  ).imports[0]!;
  t.equal(held.status, 'held');
  t.equal(await count(h.db, 'structure', { jointure: '910008' }), 0, 'not in the directory');
  const zero = { created: 0, updated: 0, unchanged: 0, rejected: 0, held: 0 };
  t.same(held.references!.structures, { ...zero, held: 1 }, 'held, not created');
  const o = etab(held).outcomes;
  t.equal(o.created, 0);
  t.equal(o.held, 1);
  t.equal(
    o.created + o.updated + o.restored + o.unchanged + o.departed + o.rejected + o.held,
    etab(held).records,
    'every record accounted for',
  );

  const approved = await decideHeldPlan(h.deps, {
    importId: held.importId,
    uai: '0990001N',
    decision: 'approve',
    actor: 'operator',
  });
  t.equal(await count(h.db, 'structure', { jointure: '910008' }), 1, 'in the directory now');
  t.same(approved.references!.structures, { ...zero, created: 1 }, 'created by the approval');
  t.match(etab(approved).outcomes, { created: 1, held: 0 });
});

t.test('a discarded structure stays counted held (its establishment says discarded)', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }));
  const held = (
    await h.ingest(
      variant(join(t.testdirName, 'd'), {
        from: '2d',
        pick: 'Complet_20240907_EtabEducNat',
        kind: 'Delta',
        date: '20240910',
        replace: [['910001', '910008']],
      }),
    )
  ).imports[0]!;
  const discarded = await decideHeldPlan(h.deps, {
    importId: held.importId,
    uai: '0990001N',
    decision: 'discard',
    actor: 'operator',
  });
  t.equal(discarded.establishments.find((e) => e.structure === '910008')!.status, 'discarded');
  t.match(discarded.references!.structures, { created: 0, held: 1 });
  t.match(etab(discarded).outcomes, { created: 0, held: 1 });
});
