import { DISCIPLINES, MEFS, SUBJECTS, subject, type LevelDef } from './nomenclature.js';
import type { EstablishmentPlan } from './plan.js';
import type { Pupil, Relative, StaffMember } from './population.js';
import { addRequest, one, type Attr } from './xml-records.js';
import type { TextMode } from './xml-escape.js';

/** Renders 2D (SIECLE/STS) records with the attribute names of aaf-format.md §3.1–3.6. */

/** Per-record deviations the quirks ask for. */
export interface RecordTweaks {
  /** Extra raw values appended to ENTPersonFonctions (e.g. one with a wrong field count). */
  readonly extraFunctions?: readonly string[];
  /** An attribute no mapping knows, appended at the end. */
  readonly unknownAttribute?: Attr;
  /** Writes an empty sn / ENTPersonNom (a record the importer must reject). */
  readonly noSn?: boolean;
  /** Replaces a function label (the double-escaped apostrophe). */
  readonly chiefLabel?: string;
  /** Leaves ENTEnsFonctionDir out: the DIR function alone says the person is in the direction. */
  readonly noFonctionDir?: boolean;
  /** Extra ENTAuxEnsClassesMatieres values (a class of a structure absent from the files). */
  readonly extraTeaching?: readonly string[];
}

export function structure2d(e: EstablishmentPlan, academy: string, mode: TextMode): string {
  const phone = `01${String((e.index * 7919) % 100_000_000).padStart(8, '0')}`;
  const attrs: Attr[] = [
    ['ENTStructureJointure', [e.jointure]],
    ['ENTStructureUAI', [e.uai]],
    ['ENTEtablissementUAI', [e.uai]],
    ['ENTStructureSIREN', []],
    ['ENTStructureNomCourant', [e.name]],
    ['ENTStructureTypeStruct', [e.type]],
    ['ENTEtablissementMinistereTutelle', ["MINISTERE DE L'EDUCATION NATIONALE"]],
    ['ENTEtablissementContrat', ['PU']],
    ['postOfficeBox', []],
    ['street', [`${1 + (e.index % 90)} AVENUE ${e.name.split('$')[1] ?? ''}`]],
    ['postalCode', [e.town.postalCode]],
    ['l', [e.town.name]],
    ['telephoneNumber', [phone]],
    ['facsimileTelephoneNumber', []],
    ['ENTStructureMailSI', [`ce.${e.uai.toLowerCase()}@example.invalid`]],
    ['ENTEtablissementStructRattachFctl', []],
    ['ENTEtablissementBassin', [`${e.town.postalCode}$BASSIN DE ${e.town.name}`]],
    ['ENTServAcAcademie', [academy]],
    [
      'ENTStructureClasses',
      e.classes.map(
        (c) => `${c.code}$${c.label}$${(e.levels[c.level] as LevelDef).mef?.code ?? ''}`,
      ),
    ],
    ['ENTStructureGroupes', e.groups.map((g) => [g.code, g.label, ...(g.classes ?? [])].join('$'))],
  ];
  return addRequest('categorieStructure', 'EtabEducNat', e.jointure, attrs, mode);
}

export function subjectRecords(mode: TextMode): string[] {
  return SUBJECTS.map((s) =>
    addRequest(
      'categorieMatiere',
      'MatEducNat',
      s.code,
      [
        ['ENTMatJointure', [s.code]],
        ['ENTLibelleMatiere', [s.label]],
      ],
      mode,
    ),
  );
}

export function mefRecords(mode: TextMode): string[] {
  return MEFS.map((m) =>
    addRequest(
      'categorieMef',
      'MefEducNat',
      m.code,
      [
        ['ENTMefJointure', [m.code]],
        ['ENTLibelleMef', [m.label]],
        ['ENTMEFRattach', [m.code]],
        ['ENTMEFSTAT11', [m.stat11]],
      ],
      mode,
    ),
  );
}

/** The ENTElevePersRelEleve values of a pupil (`rel$code$fin$legal$contact$pay`). */
export function relativeLinks2d(p: Pupil): string[] {
  return p.links.map(
    (l) => `${l.relative.id}$${l.code}$${l.financial}$${l.legal}$${l.contact}$${l.payment}`,
  );
}

export function pupilSubjects(p: Pupil): string[] {
  const def = p.estab.levels[p.level] as LevelDef;
  const codes = [...def.subjects];
  for (const g of p.groups) if (g.subject && !codes.includes(g.subject)) codes.push(g.subject);
  return codes;
}

export function pupil2d(
  p: Pupil,
  schoolYear: number,
  mode: TextMode,
  tweaks: RecordTweaks = {},
): string {
  const def = p.estab.levels[p.level] as LevelDef;
  const e = p.estab.jointure;
  const codes = pupilSubjects(p);
  const addressRel = p.links.find((l) => l.legal > 0)?.relative;
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(p.id)]],
    ['ENTEleveINE', [p.ine]],
    ['ENTEleveStructRattachId', [String(p.siecleId)]],
    ['ENTPersonDateNaissance', [p.birthDate]],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [p.name.sn]],
    ['sn', tweaks.noSn ? [] : [p.name.sn]],
    ['givenName', [p.name.givenName]],
  ];
  if (p.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', p.name.otherGivenNames]);
  attrs.push(
    ['personalTitle', [p.name.civility]],
    ['ENTElevePersRelEleve', relativeLinks2d(p)],
    ['ENTEleveBoursier', one(p.schooling.boursier)],
    ['ENTEleveRegime', one(p.schooling.regime)],
    ['ENTEleveTransport', one(p.schooling.transport)],
    ['ENTEleveStatutEleve', ['SCOLAIRE']],
    ['ENTEleveMEF', one(def.mef?.code)],
    ['ENTEleveLibelleMEF', one(def.mef?.label)],
    ['ENTEleveNivFormation', one(def.mef?.label)],
    ['ENTEleveFiliere', one(def.classLabel)],
    ['ENTEleveEnseignements', codes.map((c) => subject(c).label)],
    ['ENTEleveCodeEnseignements', codes],
    ['ENTPersonStructRattach', [e]],
    ['ENTEleveDateEntreeClasses', p.cls ? [`${e}$02/09/${schoolYear}$${p.cls.code}`] : []],
    ['ENTEleveDateSortieClasses', []],
    ['ENTEleveClasses', p.cls ? [`${e}$${p.cls.code}`] : []],
    ['ENTEleveGroupes', p.groups.map((g) => `${e}$${g.code}`)],
    ['ENTPersonAdresse', [p.family.address]],
    ['ENTPersonCodePostal', [p.family.postalCode]],
    ['ENTPersonVille', [p.family.town]],
    ['ENTPersonPays', ['FRANCE']],
    ['ENTEleveAdresseRel', addressRel ? [String(addressRel.id)] : []],
  );
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'Eleve', String(p.id), attrs, mode);
}

export function relative2d(r: Relative, mode: TextMode, tweaks: RecordTweaks = {}): string {
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(r.id)]],
    ['ENTPersonDateNaissance', []],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [r.birthName]],
    ['sn', tweaks.noSn ? [] : [r.name.sn]],
    ['givenName', [r.name.givenName]],
  ];
  if (r.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', r.name.otherGivenNames]);
  attrs.push(
    ['personalTitle', [r.name.civility]],
    ['homePhone', one(r.homePhone)],
    ['telephoneNumber', one(r.workPhone)],
    ['mobile', one(r.mobile)],
    ['ENTPersonMobileSMS', one(r.sms)],
    ['mail', one(r.mail)],
    ['ENTPersonAdresse', [r.address]],
    ['ENTPersonCodePostal', [r.postalCode]],
    ['ENTPersonVille', [r.town]],
    ['ENTPersonPays', ['FRANCE']],
    ['ENTPersonAdresseDiffusion', [r.addressDiffusion]],
    ['ENTAuxPersRelEleveEleve', r.children.map((c) => String(c.id))],
  );
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'PersRelEleve', String(r.id), attrs, mode);
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** ENTPersonFonctions values of a staff member. */
export function functionValues(s: StaffMember, tweaks: RecordTweaks = {}): string[] {
  return s.functions.map((f) => {
    const label =
      tweaks.chiefLabel && f.disciplineCode === 'D0010' ? tweaks.chiefLabel : f.disciplineLabel;
    return `${f.estab.jointure}$${f.code}$${f.label}$${f.disciplineCode}$${label}`;
  });
}

/** The teaching attributes of a 2D staff member (also what a Delta modifies). */
export function teachingAttrs(
  s: Pick<StaffMember, 'services' | 'discipline'>,
  duplicate: boolean,
): Attr[] {
  const classes = s.services.filter((v) => v.kind === 'class');
  const groups = s.services.filter((v) => v.kind === 'group');
  const cls = classes.map((v) => `${v.estab.jointure}$${v.division.code}`);
  const d = DISCIPLINES[s.discipline];
  const mefs = dedupe(
    classes
      .filter((v) => !v.stale)
      .map((v) => {
        const mef = (v.estab.levels[v.division.level] as LevelDef).mef;
        return `${v.estab.jointure}$${mef?.code ?? ''}$${mef?.label ?? ''}`;
      }),
  );
  return [
    ['ENTAuxEnsCategoDiscipline', d ? [`${d.category}$${d.label}`] : []],
    ['ENTAuxEnsDisciplinesPoste', d ? [`${d.label}$${d.category}`] : []],
    ['ENTAuxEnsMEF', mefs],
    [
      'ENTAuxEnsMatiereEnseignEtab',
      dedupe(s.services.map((v) => `${v.estab.jointure}$${subject(v.subject).label}`)),
    ],
    // Real files repeat ENTAuxEnsClasses values (one per subject and more): keep that.
    ['ENTAuxEnsClasses', duplicate ? [...cls, ...cls] : cls],
    ['ENTAuxEnsGroupes', dedupe(groups.map((v) => `${v.estab.jointure}$${v.division.code}`))],
    [
      'ENTAuxEnsClassesMatieres',
      dedupe(classes.map((v) => `${v.estab.jointure}$${v.division.code}$${v.subject}`)),
    ],
    [
      'ENTAuxEnsGroupesMatieres',
      dedupe(groups.map((v) => `${v.estab.jointure}$${v.division.code}$${v.subject}`)),
    ],
  ];
}

export function staff2d(
  s: StaffMember,
  mode: TextMode,
  duplicate: boolean,
  tweaks: RecordTweaks = {},
): string {
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(s.id)]],
    ['ENTPersonDateNaissance', [s.birthDate]],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [s.birthName]],
    ['sn', tweaks.noSn ? [] : [s.name.sn]],
    ['givenName', [s.name.givenName]],
  ];
  if (s.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', s.name.otherGivenNames]);
  const heads = s.headOf.map((v) => `${v.estab.jointure}$${v.division.code}`);
  attrs.push(
    ['personalTitle', [s.name.civility]],
    ['mail', one(s.mail)],
    ['ENTPersonStructRattach', s.structRattach ? [s.estab.jointure] : []],
    ...teachingAttrs(s, duplicate).map(([name, values]): Attr =>
      name === 'ENTAuxEnsClassesMatieres' && tweaks.extraTeaching
        ? [name, [...values, ...tweaks.extraTeaching]]
        : [name, values],
    ),
    ['ENTAuxEnsClassesPrincipal', duplicate ? [...heads, ...heads] : heads],
  );
  if (s.direction.length && !tweaks.noFonctionDir)
    attrs.push(['ENTEnsFonctionDir', s.direction.map((e) => e.jointure)]);
  attrs.push(
    ['ENTPersonFonctions', [...functionValues(s, tweaks), ...(tweaks.extraFunctions ?? [])]],
    ['PersEducNatPresenceDevantEleves', [s.teacher ? 'O' : 'N']],
  );
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'PersEducNat', String(s.id), attrs, mode);
}
