import t from 'tap';
import { createNameSampler, Rng } from '../src/index.js';

t.test('the sampler is deterministic by seed', async (t) => {
  const draw = (seed: number) =>
    Array.from({ length: 50 }, () => createNameSampler(seed)).map((s) => s.person());
  t.same(draw(1), draw(1));
  const a = createNameSampler(1);
  const b = createNameSampler(2);
  const left = Array.from({ length: 50 }, () => a.person().sn);
  const right = Array.from({ length: 50 }, () => b.person().sn);
  t.not(left.join(), right.join());
});

t.test('heavy-tailed: large homonym families and a long tail of rare names', async (t) => {
  const names = createNameSampler(42);
  const pairs = new Map<string, number>();
  const surnames = new Map<string, number>();
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const p = names.person({ sex: 'M', generation: 'adult' });
    pairs.set(`${p.givenName} ${p.sn}`, (pairs.get(`${p.givenName} ${p.sn}`) ?? 0) + 1);
    surnames.set(p.sn, (surnames.get(p.sn) ?? 0) + 1);
  }
  // A 300k-person académie has ~66k adult men: "JEAN MARTIN" must come in the hundreds.
  t.ok((pairs.get('JEAN MARTIN') ?? 0) > 150, `JEAN MARTIN × ${pairs.get('JEAN MARTIN')}`);
  const martin = (surnames.get('MARTIN') ?? 0) / n;
  t.ok(martin > 0.01 && martin < 0.06, `MARTIN share ${martin}`);
  const rare = [...surnames.values()].filter((c) => c <= 2).length;
  t.ok(rare > 1000, 'many surnames are (almost) unique');
});

t.test('the names exercise login generators', async (t) => {
  const names = createNameSampler(new Rng(5, 'features'));
  const all = Array.from({ length: 20_000 }, () => names.person());
  const sn = all.map((p) => p.sn);
  const given = all.map((p) => p.givenName);
  t.ok(
    sn.some((s) => /^[A-Z]+-[A-Z]+$/.test(s)),
    'compound surnames (DUPONT-MARTIN)',
  );
  t.ok(
    sn.some((s) => /^(DE LA|LE|VAN DER|DU) /.test(s)),
    'particles',
  );
  t.ok(
    sn.some((s) => s.includes("'")),
    'apostrophes',
  );
  t.ok(
    [...sn, ...given].some((s) => /[ŒÆ]/.test(s)),
    'ligatures',
  );
  t.ok(
    given.some((s) => /^(JEAN|MARIE|ANNE)-/.test(s)),
    'compound given names',
  );
  t.ok(
    [...sn, ...given].some((s) => /[ÉÈÇÏË]/.test(s)),
    'accents',
  );
  t.ok(sn.includes('NGUYEN') && sn.includes('BENALI'), 'names of other origins');
  t.ok(
    all.some((p) => p.otherGivenNames.length > 1 && p.otherGivenNames[0] === p.givenName),
    'other given names',
  );
  t.ok(
    all.every((p) => p.sn === p.sn.toUpperCase() && p.givenName === p.givenName.toUpperCase()),
    'upper case',
  );
  t.ok(all.every((p) => (p.sex === 'F') === (p.civility === 'Mme')));
});

t.test('children draw children names and can keep a family surname', async (t) => {
  const names = createNameSampler(9);
  const kids = Array.from({ length: 2000 }, () =>
    names.person({ generation: 'child', sn: 'DUBOIS' }),
  );
  t.ok(kids.every((k) => k.sn === 'DUBOIS'));
  t.ok(kids.some((k) => k.givenName === 'LÉA'));
  t.notOk(
    kids.some((k) => k.givenName === 'JEAN-PIERRE'),
    'no 1960s names for pupils',
  );
});
