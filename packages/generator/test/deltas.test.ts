import t from 'tap';
import { generateAcademie, type CompleteExpectation, type DeltaExpectation } from '../src/index.js';
import { first, vals } from './aaf-parse.js';
import { readDelivery } from './recount.js';

const ENTITY_OF: Record<string, 'pupils' | 'relatives' | 'staff'> = {
  Eleve: 'pupils',
  PersRelEleve: 'relatives',
  PersEducNat: 'staff',
};

for (const level of ['2d', '1d'] as const) {
  t.test(`${level} Deltas only touch existing ids and add new ones`, async (t) => {
    const out = t.testdir({});
    const { manifest } = await generateAcademie({
      out,
      seed: 11,
      persons: 3000,
      deltas: 4,
      level,
      quirks: true,
    });
    const [complete, ...deltas] = manifest.deliveries;
    t.equal(deltas.length, 4);
    t.same(
      deltas.map((d) => d.date),
      ['2024-09-09', '2024-09-10', '2024-09-11', '2024-09-12'],
      'week days after the Saturday Complet',
    );
    const expected = complete!.expected as CompleteExpectation;
    const rejected = new Set(
      expected.rejects.filter((r) => r.scope === 'record').flatMap((r) => r.ids),
    );
    const alive = {
      pupils: new Set<string>(),
      relatives: new Set<string>(),
      staff: new Set<string>(),
    };
    const seen = new Set<string>(rejected);
    const classes = new Map<string, Set<string>>();
    for (const [entity, records] of readDelivery(out, complete!)) {
      const cat = ENTITY_OF[entity];
      for (const r of records) {
        seen.add(r.id);
        if (cat && !rejected.has(r.id)) alive[cat].add(r.id);
        if (entity === 'Eleve') {
          for (const v of vals(r, level === '2d' ? 'ENTEleveClasses' : 'ENTPersonClasses')) {
            const f = v.split('$');
            const set = classes.get(f[0]!) ?? new Set();
            set.add(level === '2d' ? f[1]! : f[3]!);
            classes.set(f[0]!, set);
          }
        }
      }
    }
    t.same(
      { pupils: alive.pupils.size, relatives: alive.relatives.size, staff: alive.staff.size },
      {
        pupils: expected.persons.pupils,
        relatives: expected.persons.relatives,
        staff: expected.persons.staff,
      },
    );
    let deletedRelatives = 0;
    for (const d of deltas) {
      const e = d.expected as DeltaExpectation;
      const counts = {
        adds: { pupils: 0, relatives: 0, staff: 0 },
        modifies: { pupils: 0, relatives: 0, staff: 0 },
        deletes: { pupils: 0, relatives: 0, staff: 0 },
      };
      const problems: string[] = [];
      const records = readDelivery(out, d);
      t.equal(records.get('EtabEducNat')?.length, 0, 'no structure change');
      // Adds first (a relative's children may be new pupils), then modifies and deletes.
      const all = [...records.entries()].flatMap(([entity, rs]) => rs.map((r) => ({ entity, r })));
      for (const { entity, r } of all.filter((x) => x.r.op === 'add')) {
        const cat = ENTITY_OF[entity]!;
        if (seen.has(r.id)) problems.push(`add of known id ${r.id}`);
        seen.add(r.id);
        alive[cat].add(r.id);
        counts.adds[cat]++;
      }
      for (const { entity, r } of all.filter((x) => x.r.op !== 'add')) {
        const cat = ENTITY_OF[entity]!;
        if (!alive[cat].has(r.id)) problems.push(`${r.op} of unknown ${cat} ${r.id}`);
        if (r.op === 'delete') {
          alive[cat].delete(r.id);
          counts.deletes[cat]++;
          if (cat === 'relatives') deletedRelatives++;
        } else counts.modifies[cat]++;
      }
      for (const { entity, r } of all.filter((x) => x.r.op === 'modify')) {
        for (const v of vals(r, level === '2d' ? 'ENTEleveClasses' : 'ENTPersonClasses')) {
          const f = v.split('$');
          if (!classes.get(f[0]!)?.has(level === '2d' ? f[1]! : f[3]!))
            problems.push(`class change to unknown class ${v}`);
        }
        for (const c of vals(
          r,
          level === '2d' ? 'ENTAuxPersRelEleveEleve' : 'ENTPersRelEleveEleve',
        )) {
          if (!alive.pupils.has(c)) problems.push(`relative ${r.id} lists a departed pupil ${c}`);
        }
        if (
          entity === 'PersEducNat' &&
          level === '2d' &&
          first(r, 'ENTAuxEnsCategoDiscipline') === ''
        )
          problems.push('service change without discipline');
      }
      t.same(problems, [], `${d.date} is consistent`);
      t.same(
        { adds: counts.adds, modifies: counts.modifies, deletes: counts.deletes },
        { adds: e.adds, modifies: e.modifies, deletes: e.deletes },
        `${d.date} counts`,
      );
      t.same(
        e.after,
        { pupils: alive.pupils.size, relatives: alive.relatives.size, staff: alive.staff.size },
        `${d.date} state after`,
      );
      t.ok(
        e.adds.pupils > 0 &&
          e.deletes.pupils > 0 &&
          e.modifies.pupils > 0 &&
          e.modifies.relatives > 0 &&
          e.modifies.staff > 0,
      );
    }
    t.ok(deletedRelatives > 0, 'relatives whose children all left are deleted');
  });
}
