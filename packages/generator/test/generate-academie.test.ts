import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  generateAcademie,
  isValidUai,
  type CompleteExpectation,
  type GenerateResult,
} from '../src/index.js';
import { first, parseAafFile, vals } from './aaf-parse.js';
import { readDelivery, recount } from './recount.js';

const BASE = { seed: 7, persons: 3000, chunkSize: 1000 } as const;

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const CATEGORY: Record<string, string> = {
  EtabEducNat: 'EtabEducNat',
  MatiereEducNat: 'MatEducNat',
  MefEducNat: 'MefEducNat',
  Eleve: 'Eleve',
  PersRelEleve: 'PersRelEleve',
  PersEducNat: 'PersEducNat',
};

const root = t.testdir({});
let a: GenerateResult;
let quirky: GenerateResult;

t.before(async () => {
  a = await generateAcademie({ ...BASE, out: join(root, 'a') });
  quirky = await generateAcademie({
    ...BASE,
    persons: 2500,
    out: join(root, 'q'),
    level: 'both',
    quirks: true,
    archive: true,
  });
});

t.test('the same options give byte-identical files; another seed gives other files', async (t) => {
  await generateAcademie({ ...BASE, out: join(root, 'b') });
  await generateAcademie({ ...BASE, seed: 8, out: join(root, 'c') });
  const ha = hashes(join(root, 'a'));
  t.ok(ha.size > 6);
  t.same(hashes(join(root, 'b')), ha);
  const hc = hashes(join(root, 'c'));
  const xml = [...ha.keys()].filter((k) => k.includes('_Eleve_'));
  t.ok(
    xml.some((k) => hc.get(k) !== ha.get(k)),
    'the Eleve files differ',
  );
});

t.test('file names, chunking and the DTD', async (t) => {
  const d = a.manifest.deliveries[0];
  t.equal(d?.kind, 'complete');
  const names = readdirSync(join(root, 'a')).sort();
  t.ok(names.includes('ficAlimMENESR.dtd'));
  t.ok(names.includes('manifest.json'));
  t.equal(
    readFileSync(join(root, 'a', 'ficAlimMENESR.dtd'), 'utf8'),
    readFileSync(
      new URL('../../../test/fixtures/aaf-samples/2d/ficAlimMENESR.dtd', import.meta.url),
      'utf8',
    ),
  );
  for (const entity of [
    'EtabEducNat',
    'MatiereEducNat',
    'MefEducNat',
    'Eleve',
    'PersRelEleve',
    'PersEducNat',
  ]) {
    const files = d?.files.filter((f) => f.entity === entity) ?? [];
    t.ok(files.length >= 1, `${entity} has files`);
    files.forEach((f, i) => {
      t.equal(f.name, `ENT_TEST_Complet_20240907_${entity}_${String(i).padStart(4, '0')}.xml`);
      t.ok(names.includes(f.name));
      const records = f.adds + f.modifies + f.deletes;
      t.ok(records <= BASE.chunkSize, 'a chunk holds at most chunk-size records');
      if (i < files.length - 1) t.equal(records, BASE.chunkSize, 'only the last chunk is partial');
    });
  }
  t.ok((d?.files.filter((f) => f.entity === 'Eleve').length ?? 0) > 1, 'Eleve is chunked');
});

t.test('every file is well-formed ficAlimMENESR and counts match the manifest', async (t) => {
  for (const result of [a, quirky]) {
    for (const d of result.manifest.deliveries) {
      for (const f of d.files) {
        const parsed = parseAafFile(join(result.out, d.dir, f.name));
        t.equal(parsed.root, 'ficAlimMENESR', f.name);
        t.equal(parsed.records.filter((r) => r.op === 'add').length, f.adds, `${f.name} adds`);
        t.equal(parsed.encoding, f.encoding);
        for (const r of parsed.records) {
          if (r.id === '' || r.category === '') t.fail(`${f.name}: record without id or category`);
          if (r.category !== CATEGORY[f.entity]) t.fail(`${f.name}: category ${r.category}`);
          const join = first(
            r,
            r.category === 'EtabEducNat'
              ? 'ENTStructureJointure'
              : r.category === 'MatEducNat'
                ? 'ENTMatJointure'
                : r.category === 'MefEducNat'
                  ? 'ENTMefJointure'
                  : 'ENTPersonJointure',
          );
          if (r.op === 'add' && join !== r.id)
            t.fail(`${f.name}: identifier ${r.id} differs from the jointure ${join}`);
        }
      }
    }
  }
});

t.test('the manifest of a Complet equals a recount of its files', async (t) => {
  for (const result of [a, quirky]) {
    for (const d of result.manifest.deliveries.filter((x) => x.kind === 'complete')) {
      const e = d.expected as CompleteExpectation;
      const rc = recount(result.out, d);
      t.match(
        rc.persons,
        {
          pupils: e.persons.pupils,
          relatives: e.persons.relatives,
          staff: e.persons.staff,
          teachers: e.persons.teachers,
          relativesLegal: e.persons.relativesLegal,
        },
        `${d.level} persons`,
      );
      t.equal(e.relativeLinks.total, rc.relativeLinks.total);
      t.equal(e.relativeLinks.legal, rc.relativeLinks.legal);
      t.same(e.teachingLinks, rc.teachingLinks, `${d.level} teaching links`);
      t.equal(e.headTeacherLinks, rc.headTeacherLinks);
      for (const s of e.structures) {
        const got = rc.perStructure.get(s.jointure);
        t.same(
          {
            pupils: got?.pupils,
            relatives: got?.relatives.size,
            teachers: got?.teachers,
            nonTeachers: got?.nonTeachers,
            classes: got?.classes.size,
            groups: got?.groups.size,
          },
          {
            pupils: s.pupils,
            relatives: s.relatives,
            teachers: s.teachers,
            nonTeachers: s.nonTeachers,
            classes: s.classes,
            groups: s.groups,
          },
          `structure ${s.jointure}`,
        );
        if (!isValidUai(s.uai)) t.fail(`UAI ${s.uai}`);
      }
      if (result === a) t.equal(e.persons.total, BASE.persons, 'exactly --persons persons');
    }
  }
  const both = quirky.manifest.deliveries.filter((d) => d.kind === 'complete');
  t.equal(
    both.reduce((n, d) => n + (d.expected as CompleteExpectation).persons.total, 0),
    2500,
  );
});

t.test('realism of the 2D Complet', async (t) => {
  const d = a.manifest.deliveries[0]!;
  const e = d.expected as CompleteExpectation;
  const rc = recount(a.out, d);
  const etabs = rc.records.get('EtabEducNat') ?? [];
  t.ok(etabs.length >= 3, 'several establishments');
  t.ok(e.persons.pupils / 3000 > 0.45 && e.persons.pupils / 3000 < 0.6, 'about 55 % pupils');
  t.ok(e.persons.staff / 3000 > 0.05 && e.persons.staff / 3000 < 0.09, 'about 7 % staff');
  t.ok(e.teachingLinks.stale > 0, 'some stale teaching links');
  t.ok(e.staffWithoutStructRattach > 0 && e.placeholderFunctions >= 0);
  // Every declared class has pupils, and every pupils' class is declared.
  for (const etab of etabs) {
    const declared = new Set(vals(etab, 'ENTStructureClasses').map((v) => v.split('$')[0]));
    t.same(
      [...declared].sort(),
      [...(rc.perStructure.get(etab.id)?.classes ?? [])].sort(),
      `classes of ${etab.id}`,
    );
    t.match(first(etab, 'ENTStructureNomCourant'), /^(CLG|LGT)\$[^$]+\$[^$]+$/);
  }
  // Relatives: both directions agree, and siblings share the same relative jointures.
  const pupils = rc.records.get('Eleve') ?? [];
  const relatives = new Map(
    (rc.records.get('PersRelEleve') ?? []).map((r) => [
      r.id,
      new Set(vals(r, 'ENTAuxPersRelEleveEleve')),
    ]),
  );
  const families = new Map<string, number>();
  for (const p of pupils) {
    const rel = vals(p, 'ENTElevePersRelEleve').map((v) => v.split('$'));
    for (const f of rel) {
      if (f.length !== 6) t.fail('6-field relative links');
      if (!relatives.get(f[0] as string)?.has(p.id))
        t.fail(`relative ${f[0]} does not list ${p.id}`);
    }
    const key = rel
      .filter((f) => f[3] === '1')
      .map((f) => f[0])
      .sort()
      .join(',');
    if (key) families.set(key, (families.get(key) ?? 0) + 1);
  }
  t.ok(
    [...families.values()].filter((n) => n >= 2).length > 30,
    'many sibling groups share their relatives',
  );
  t.ok(
    pupils.some((p) => vals(p, 'ENTElevePersRelEleve').some((v) => v.split('$')[3] === '0')),
    'contact-only relatives',
  );
  // Staff: duplicated ENTAuxEnsClasses, direction, placeholders.
  const staff = rc.records.get('PersEducNat') ?? [];
  t.ok(
    staff.some(
      (s) => new Set(vals(s, 'ENTAuxEnsClasses')).size < vals(s, 'ENTAuxEnsClasses').length,
    ),
    'duplicated ENTAuxEnsClasses values',
  );
  t.ok(staff.some((s) => vals(s, 'ENTPersonFonctions').some((v) => v.split('$')[1] === 'DIR')));
  t.ok(
    staff.some((s) =>
      vals(s, 'ENTPersonFonctions').some(
        (v) =>
          v.split('$').length === 5 &&
          new Set(vals(s, 'ENTPersonFonctions').map((x) => x.split('$')[0])).size === 2,
      ),
    ),
    'a teacher in two establishments',
  );
  // Names: homonyms, accents as numeric references, compound and particle names.
  const names = new Map<string, number>();
  for (const r of [...pupils, ...staff, ...(rc.records.get('PersRelEleve') ?? [])]) {
    const key = `${first(r, 'givenName')} ${first(r, 'sn')}`;
    names.set(key, (names.get(key) ?? 0) + 1);
  }
  t.ok(Math.max(...names.values()) >= 5, 'homonym families');
  const raw = readFileSync(join(a.out, d.files.find((f) => f.entity === 'Eleve')!.name), 'latin1');
  t.match(raw, /&#20[01];/, 'accents written as numeric references');
  t.notMatch(raw, /[\x80-\xff]/, 'no raw non-ASCII byte');
  t.ok(
    [...names.keys()].some((n) => /-/.test(n.split(' ')[0] ?? '')),
    'compound given names',
  );
  t.ok(
    [...names.keys()].some(
      (n) =>
        /^(LE|DE|D'|VAN|DU|DA|DOS) /.test(n.split(' ').slice(1).join(' ')) || / (D'|N'|O')/.test(n),
    ),
    'particles',
  );
  t.ok(
    pupils.some((p) => vals(p, 'ENTPersonAutresPrenoms').length > 1),
    'other given names',
  );
});

t.test('1D files use the 1D attribute names', async (t) => {
  const d = quirky.manifest.deliveries.find((x) => x.level === '1d' && x.kind === 'complete')!;
  t.equal(d.dir, '1d');
  t.same(
    d.files.map((f) => f.entity).filter((v, i, s) => s.indexOf(v) === i),
    ['EtabEducNat', 'Eleve', 'PersRelEleve', 'PersEducNat'],
  );
  const recs = readDelivery(quirky.out, d);
  for (const p of recs.get('Eleve') ?? []) {
    t.notOk(p.attrs.has('sn') || p.attrs.has('givenName') || p.attrs.has('ENTElevePersRelEleve'));
    if (!p.attrs.has('ENTPersonPrenom') || !p.attrs.has('ENTEleveAutoriteParentale'))
      t.fail('1D names missing');
    if (vals(p, 'ENTPersonClasses').some((v) => v.split('$').length !== 5))
      t.fail('5-field classes');
    if (vals(p, 'ENTEleveAutoriteParentale').some((v) => v.split('$').length !== 2))
      t.fail('2-field links');
  }
  t.ok(
    (recs.get('PersRelEleve') ?? []).every(
      (r) => r.attrs.has('ENTPersRelEleveEleve') && !r.attrs.has('ENTAuxPersRelEleveEleve'),
    ),
  );
  t.ok((recs.get('PersEducNat') ?? []).every((r) => r.attrs.has('ENTPersonCategorieEnseignant')));
  t.match(first((recs.get('EtabEducNat') ?? [])[0]!, 'ENTStructureTypeStruct'), /^ECOLE /);
});

t.test('quirks appear only with --quirks, where the manifest says', async (t) => {
  // Without quirks: ASCII files, no named entity, no unknown attribute, no invalid record.
  for (const f of a.manifest.deliveries[0]!.files) {
    const raw = readFileSync(join(a.out, f.name));
    t.notOk(
      raw.some((b) => b > 0x7f),
      `${f.name} is ASCII`,
    );
    t.notMatch(
      raw.toString('latin1'),
      /&(?!amp;|lt;|gt;|apos;|quot;|#)[A-Za-z]+;|ENTPersonAttributFutur|&amp;apos;/,
    );
  }
  t.same((a.manifest.deliveries[0]!.expected as CompleteExpectation).rejects, []);
  for (const d of quirky.manifest.deliveries.filter((x) => x.kind === 'complete')) {
    const e = d.expected as CompleteExpectation;
    const recs = readDelivery(quirky.out, d);
    const byId = new Map([...recs.values()].flat().map((r) => [r.id, r]));
    const q = (kind: string) => e.quirks.find((x) => x.kind === kind)!;
    const iso = q('iso-8859-15-file').files![0]!;
    t.ok(
      readFileSync(join(quirky.out, d.dir, iso)).some((b) => b > 0x7f),
      'the ISO-8859-15 file has 8-bit bytes',
    );
    t.match(
      readFileSync(join(quirky.out, d.dir, iso), 'latin1'),
      /^<\?xml version="1.0" encoding="ISO-8859-15"\?>/,
    );
    t.ok(
      readFileSync(join(quirky.out, d.dir, q('raw-utf8-file').files![0]!), 'utf8').match(/[À-ÿ]/),
      'raw UTF-8 accents',
    );
    t.ok(q('html-named-entities').count > 0);
    const eleve = d.files
      .filter((f) => f.entity === 'Eleve')
      .map((f) => parseAafFile(join(quirky.out, d.dir, f.name)));
    t.equal(eleve.reduce((n, p) => n + (p.namedEntities > 0 ? 1 : 0), 0) > 0, true);
    for (const id of q('unknown-attribute').ids!)
      t.ok(byId.get(id)?.attrs.has('ENTPersonAttributFutur'));
    t.ok(q('non-latin-names').count > 0);
    for (const id of q('double-escaped-apostrophe').ids!)
      t.ok(vals(byId.get(id)!, 'ENTPersonFonctions').some((v) => v.includes('&apos;')));
    for (const r of e.rejects) {
      t.equal(r.ids.length, r.count);
      t.ok(r.count > 0 || d.level === '1d', `${r.code} ${r.entity}`);
      for (const id of r.ids) {
        const rec = byId.get(id)!;
        if (r.code === 'MISSING_REQUIRED')
          t.equal(first(rec, r.attribute), '', `${id} has no ${r.attribute}`);
        else
          t.ok(
            vals(rec, r.attribute).some((v) => v.split('$').length !== 5),
            `${id} has a bad ${r.attribute}`,
          );
      }
    }
  }
});

t.test('--archive packs each delivery as a reproducible tgz', async (t) => {
  const { execFileSync } = await import('node:child_process');
  for (const d of quirky.manifest.deliveries) {
    t.match(d.archive, /^ENT[12]D\.20240907\.Complet\.tgz$/);
    const listing = execFileSync('tar', ['-tzf', join(quirky.out, d.dir, d.archive!)], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    t.same(listing.sort(), ['ficAlimMENESR.dtd', ...d.files.map((f) => f.name)].sort());
  }
  t.same(
    a.manifest.deliveries.map((d) => d.archive),
    [null],
  );
});
