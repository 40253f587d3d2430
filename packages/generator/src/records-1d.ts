import type { LevelDef } from './nomenclature.js';
import type { Division, EstablishmentPlan } from './plan.js';
import type { Pupil, Relative, StaffMember } from './population.js';
import { functionValues, type RecordTweaks } from './records-2d.js';
import { addRequest, one, type Attr } from './xml-records.js';
import type { TextMode } from './xml-escape.js';

/** Renders 1D (ONDE) records with the `ENTPerson*` attribute names of aaf-format.md §3.7. */

export function structure1d(e: EstablishmentPlan, academy: string, mode: TextMode): string {
  const attrs: Attr[] = [
    ['ENTStructureJointure', [e.jointure]],
    ['ENTStructureUAI', [e.uai]],
    ['ENTStructureSIREN', []],
    ['ENTStructureNomCourant', [e.name]],
    ['ENTStructureTypeStruct', [e.type]],
    ['ENTEcoleMinistereTutelle', ["MINISTERE DE L'EDUCATION NATIONALE"]],
    ['ENTEtablissementContrat', ['PU']],
    ['ENTStructureAdresse', [`${1 + (e.index % 60)} PLACE DE LA MAIRIE`]],
    ['ENTStructureCodePostal', [e.town.postalCode]],
    ['ENTStructureVille', [e.town.name]],
    ['ENTStructureTelephone', [`01${String((e.index * 6151) % 100_000_000).padStart(8, '0')}`]],
    ['ENTStructureEmail', [`ce.${e.uai.toLowerCase()}@example.invalid`]],
    ['ENTEcoleCirconscription', [`${e.town.name} ${e.index % 2 ? 'NORD' : 'SUD'}`]],
    ['ENTEcoleCommune', [e.town.name]],
    ['ENTServAcAcademie', [academy]],
  ];
  return addRequest('categorieStructure', 'EtabEducNat', e.jointure, attrs, mode);
}

/** The 5-field `ENTPersonClasses` / `ENTPersonGroupes` value. */
export function division1d(e: EstablishmentPlan, d: Division, kind: 'class' | 'group'): string {
  const level = kind === 'class' ? (e.levels[d.level] as LevelDef).code : '-';
  return `${e.jointure}$${kind === 'class' ? 'CLASSE' : 'GROUPE'}$${level}$${d.id}$${d.label}`;
}

export function pupil1d(p: Pupil, mode: TextMode, tweaks: RecordTweaks = {}): string {
  const def = p.estab.levels[p.level] as LevelDef;
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(p.id)]],
    ['ENTEleveINE', [p.ine]],
    ['ENTPersonDateNaissance', [p.birthDate]],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [p.name.sn]],
    ['ENTPersonNom', tweaks.noSn ? [] : [p.name.sn]],
    ['ENTPersonPrenom', [p.name.givenName]],
  ];
  if (p.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', p.name.otherGivenNames]);
  attrs.push(
    ['ENTPersonCivilite', [p.name.civility]],
    ['ENTEleveAutoriteParentale', p.links.map((l) => `${l.relative.id}$${l.code}`)],
    ['ENTPersonStructRattach', [p.estab.jointure]],
    ['ENTPersonClasses', p.cls ? [division1d(p.estab, p.cls, 'class')] : []],
    ['ENTPersonGroupes', p.groups.map((g) => division1d(p.estab, g, 'group'))],
    ['ENTEleveNiveau', [def.code]],
    ['ENTEleveCycle', one(def.cycle)],
    ['ENTEleveRestaurantScolaire', one(p.schooling.restaurant)],
    ['ENTEleveTransport', one(p.schooling.transport)],
    ['ENTEleveGarderieMatin', one(p.schooling.garderieMatin)],
    ['ENTEleveGarderieSoir', one(p.schooling.garderieSoir)],
    ['ENTEleveEtudesSurveillees', one(p.schooling.etudes)],
  );
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'Eleve', String(p.id), attrs, mode);
}

export function relative1d(r: Relative, mode: TextMode, tweaks: RecordTweaks = {}): string {
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(r.id)]],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [r.birthName]],
    ['ENTPersonNom', tweaks.noSn ? [] : [r.name.sn]],
    ['ENTPersonPrenom', [r.name.givenName]],
  ];
  if (r.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', r.name.otherGivenNames]);
  attrs.push(
    ['ENTPersonCivilite', [r.name.civility]],
    ['ENTPersonTelPerso', one(r.homePhone)],
    ['ENTPersRelEleveTelPro', one(r.workPhone)],
    ['ENTPersRelEleveTelMobile', one(r.mobile)],
    ['ENTPersonMail', one(r.mail)],
    ['ENTPersonAdresse', [r.address]],
    ['ENTPersonCodePostal', [r.postalCode]],
    ['ENTPersonVille', [r.town]],
    ['ENTPersonPays', ['FRANCE']],
    ['ENTPersonAdresseDiffusion', [r.addressDiffusion]],
    ['ENTPersRelEleveEleve', r.children.map((c) => String(c.id))],
  );
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'PersRelEleve', String(r.id), attrs, mode);
}

export function staff1d(s: StaffMember, mode: TextMode, tweaks: RecordTweaks = {}): string {
  const attrs: Attr[] = [
    ['ENTPersonJointure', [String(s.id)]],
    ['ENTPersonDateNaissance', [s.birthDate]],
    ['ENTPersonNomPatro', tweaks.noSn ? [] : [s.birthName]],
    ['ENTPersonNom', tweaks.noSn ? [] : [s.name.sn]],
    ['ENTPersonPrenom', [s.name.givenName]],
  ];
  if (s.name.otherGivenNames.length) attrs.push(['ENTPersonAutresPrenoms', s.name.otherGivenNames]);
  attrs.push(
    ['ENTPersonCivilite', [s.name.civility]],
    ['ENTPersonMail', one(s.mail)],
    ['ENTPersonStructRattach', s.structRattach ? [s.estab.jointure] : []],
    ['ENTPersonFonctions', [...functionValues(s, tweaks), ...(tweaks.extraFunctions ?? [])]],
  );
  if (s.direction.length && !tweaks.noFonctionDir)
    attrs.push(['ENTEnsFonctionDir', s.direction.map((e) => e.jointure)]);
  attrs.push(['ENTPersonCategorieEnseignant', [s.teacher ? 'O' : 'N']]);
  if (tweaks.unknownAttribute) attrs.push(tweaks.unknownAttribute);
  return addRequest('categoriePersonne', 'PersEducNat', String(s.id), attrs, mode);
}
