// Test helper: recomputes a Complet's expected content from the files alone, the way an importer
// would, to compare with the manifest.
import { join } from 'node:path';
import type { DeliveryManifest } from '../src/index.js';
import { UNKNOWN_STRUCTURE } from '../src/quirks.js';
import { first, parseAafFile, vals, type ParsedRecord } from './aaf-parse.js';

export interface Recount {
  readonly records: Map<string, ParsedRecord[]>;
  readonly persons: {
    pupils: number;
    relatives: number;
    staff: number;
    teachers: number;
    relativesLegal: number;
  };
  readonly perStructure: Map<
    string,
    {
      pupils: number;
      relatives: Set<string>;
      teachers: number;
      nonTeachers: number;
      classes: Set<string>;
      groups: Set<string>;
    }
  >;
  readonly relativeLinks: { total: number; legal: number };
  readonly teachingLinks: { total: number; classes: number; groups: number; stale: number };
  readonly headTeacherLinks: number;
  readonly rejectedIds: Set<string>;
}

/** All records of a delivery per entity (chunks in order). */
export function readDelivery(out: string, d: DeliveryManifest): Map<string, ParsedRecord[]> {
  const byEntity = new Map<string, ParsedRecord[]>();
  for (const f of d.files) {
    const parsed = parseAafFile(join(out, d.dir, f.name));
    byEntity.set(f.entity, [...(byEntity.get(f.entity) ?? []), ...parsed.records]);
  }
  return byEntity;
}

export function recount(out: string, d: DeliveryManifest): Recount {
  const records = readDelivery(out, d);
  const two = d.level === '2d';
  const snAttr = two ? 'sn' : 'ENTPersonNom';
  const rejectedIds = new Set<string>();
  const valid = (r: ParsedRecord): boolean => {
    if (first(r, snAttr) === '') {
      rejectedIds.add(r.id);
      return false;
    }
    return true;
  };
  const pupils = (records.get('Eleve') ?? []).filter(valid);
  const relatives = (records.get('PersRelEleve') ?? []).filter(valid);
  const staff = (records.get('PersEducNat') ?? []).filter(valid);
  const perStructure: Recount['perStructure'] = new Map();
  const of = (s: string) => {
    let v = perStructure.get(s);
    if (!v)
      perStructure.set(
        s,
        (v = {
          pupils: 0,
          relatives: new Set(),
          teachers: 0,
          nonTeachers: 0,
          classes: new Set(),
          groups: new Set(),
        }),
      );
    return v;
  };
  const links = { total: 0, legal: 0 };
  const legalRelatives = new Set<string>();
  for (const p of pupils) {
    const s = of(first(p, 'ENTPersonStructRattach'));
    s.pupils++;
    const rel = two ? vals(p, 'ENTElevePersRelEleve') : vals(p, 'ENTEleveAutoriteParentale');
    for (const v of rel) {
      const f = v.split('$');
      s.relatives.add(f[0] as string);
      links.total++;
      if (!two || f[3] === '1' || f[3] === '2') {
        links.legal++;
        legalRelatives.add(f[0] as string);
      }
    }
    for (const v of vals(p, two ? 'ENTEleveClasses' : 'ENTPersonClasses')) {
      const f = v.split('$');
      of(f[0] as string).classes.add((two ? f[1] : f[3]) as string);
    }
    for (const v of vals(p, two ? 'ENTEleveGroupes' : 'ENTPersonGroupes')) {
      const f = v.split('$');
      of(f[0] as string).groups.add((two ? f[1] : f[3]) as string);
    }
  }
  const teaching = { total: 0, classes: 0, groups: 0, stale: 0 };
  let heads = 0;
  let teachers = 0;
  for (const s of staff) {
    const teacher = two
      ? first(s, 'PersEducNatPresenceDevantEleves') === 'O'
      : first(s, 'ENTPersonCategorieEnseignant') === 'O';
    if (teacher) teachers++;
    const named = new Set<string>();
    if (first(s, 'ENTPersonStructRattach')) named.add(first(s, 'ENTPersonStructRattach'));
    for (const v of vals(s, 'ENTPersonFonctions')) named.add(v.split('$')[0] as string);
    for (const v of vals(s, 'ENTEnsFonctionDir')) named.add(v);
    for (const [attr, kind] of [
      ['ENTAuxEnsClassesMatieres', 'classes'],
      ['ENTAuxEnsGroupesMatieres', 'groups'],
    ] as const) {
      for (const v of new Set(vals(s, attr))) {
        const [struct, code] = v.split('$') as [string, string];
        // A class of a structure the files do not declare (a quirk): no link, as for the importer.
        if (struct === UNKNOWN_STRUCTURE) continue;
        named.add(struct);
        teaching.total++;
        teaching[kind]++;
        if (!perStructure.get(struct)?.[kind].has(code)) teaching.stale++;
      }
    }
    heads += new Set(vals(s, 'ENTAuxEnsClassesPrincipal')).size;
    for (const n of named) {
      if (teacher) of(n).teachers++;
      else of(n).nonTeachers++;
    }
  }
  return {
    records,
    persons: {
      pupils: pupils.length,
      relatives: relatives.length,
      staff: staff.length,
      teachers,
      relativesLegal: relatives.filter((r) => legalRelatives.has(r.id)).length,
    },
    perStructure,
    relativeLinks: links,
    teachingLinks: teaching,
    headTeacherLinks: heads,
    rejectedIds,
  };
}
