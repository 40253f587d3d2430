import type { AafEntity, Level } from './model.js';

// Attribute names per entity and level, from the attribute tables of docs/aaf-format.md
// (§3.1–§3.7), legacy/deprecated and 2025 `…Date` attributes included. An attribute outside
// these lists is kept raw and counted by the consumer; it is never fatal.

const words = (s: string): readonly string[] => s.split(/\s+/).filter((w) => w !== '');

const STRUCTURE_COMMON = words(`
  ENTStructureJointure ENTStructureUAI ENTStructureSIREN ENTStructureNomCourant
  ENTStructureTypeStruct ENTStructureCodeTypeStruct ENTEtablissementContrat ENTServAcAcademie
  ENTServAcCodeAcademie ENTStructureMailSI`);
const STRUCTURE_2D = words(`
  ENTEtablissementUAI ENTEtablissementMinistereTutelle ENTEtablissementCodeMinistereTutelle
  postOfficeBox street postalCode l telephoneNumber facsimileTelephoneNumber
  ENTEtablissementStructRattachFctl ENTEtablissementBassin ENTStructureClasses ENTStructureGroupes`);
const STRUCTURE_1D = words(`
  ENTEcoleMinistereTutelle ENTEcoleCodeMinistereTutelle ENTStructureBoitePostale
  ENTStructureAdresse ENTStructureCodePostal ENTStructureVille ENTStructureTelephone
  ENTStructureFax ENTStructureEmail ENTEcoleSecteur ENTEcoleCirconscription ENTEcoleCommune
  ENTEcoleRPI`);

const SUBJECT = words('ENTMatJointure ENTLibelleMatiere ENTMatiereRattach');
const MEF = words(
  'ENTMefJointure ENTLibelleMef ENTMEFRattach ENTMEFSTAT11 ENTNivFormation ENTFiliere',
);

const PERSON_2D = words(
  'ENTPersonJointure ENTPersonDateNaissance ENTPersonNomPatro sn givenName ENTPersonAutresPrenoms personalTitle mail',
);
const PERSON_1D = words(`
  ENTPersonJointure ENTPersonDateNaissance ENTPersonNom ENTPersonPrenom ENTPersonAutresPrenoms
  ENTPersonNomPatro ENTPersonCivilite ENTPersonMail`);
const ADDRESS = words('ENTPersonAdresse ENTPersonCodePostal ENTPersonVille ENTPersonPays');

const PUPIL_2D = words(`
  ENTEleveINE ENTEleveStructRattachId ENTEleveStructureRattachIdMEN ENTElevePersRelEleve
  ENTEleveParents ENTElevePere ENTEleveMere ENTEleveAutoriteParentale ENTElevePersRelEleve1
  ENTEleveQualitePersRelEleve1 ENTElevePersRelEleve2 ENTEleveQualitePersRelEleve2
  ENTEleveBoursier ENTEleveRegime ENTEleveTransport ENTEleveStatutEleve ENTEleveMEF
  ENTEleveLibelleMEF ENTEleveNivFormation ENTEleveFiliere ENTEleveEnseignements
  ENTEleveCodeEnseignements ENTEleveEnseignementsEtablissementsAccueil ENTPersonStructRattach
  ENTEleveClasses ENTEleveGroupes ENTEleveDateEntreeClasses ENTEleveDateSortieClasses
  ENTEleveDateEntreeStructRattach ENTEleveDateSortieStructRattach ENTEleveAdresseRel homePhone`);
const PUPIL_1D = words(`
  ENTEleveINE ENTEleveAutoriteParentale ENTPersonStructRattach ENTPersonClasses ENTPersonGroupes
  ENTEleveNiveau ENTEleveCycle ENTEleveTypeClasse ENTEleveDateEntreeClasses
  ENTEleveDateSortieClasses ENTEleveDateEntreeStructRattach ENTEleveDateSortieStructRattach
  ENTEleveRestaurantScolaire ENTEleveTransport ENTEleveGarderieMatin ENTEleveGarderieSoir
  ENTEleveEtudesSurveillees`);

const RELATIVE_2D = words(`
  homePhone telephoneNumber mobile ENTPersonMobileSMS ENTPersonAdresseDiffusion
  ENTAuxPersRelEleveEleve`);
const RELATIVE_1D = words(`
  ENTPersonTelPerso ENTPersRelEleveTelPro ENTPersRelEleveTelMobile ENTPersonAdresseDiffusion
  ENTPersRelEleveEleve`);

const STAFF_2D = words(`
  ENTPersonStructRattach ENTPersonFonctions ENTEnsFonctionDir PersEducNatPresenceDevantEleves
  ENTPersonCategorieEnseignant ENTAuxEnsCategoDiscipline ENTAuxEnsDisciplinesPoste ENTAuxEnsMEF
  ENTAuxEnsMatiereEnseignEtab ENTAuxEnsClasses ENTAuxEnsGroupes ENTAuxEnsClassesMatieres
  ENTAuxEnsGroupesMatieres ENTAuxEnsClassesPrincipal ENTPersonSTSId ENTPersonStructRattachDate
  ENTAuxEnsCategoDisciplineDate ENTAuxEnsMEFDate ENTAuxEnsClassesMatieresDate
  ENTAuxEnsGroupesMatieresDate ENTAuxEnsClassesPrincipalDate ENTPersonFonctionsDate
  ENTPersonCategorieEnseignantDate`);
const STAFF_1D = words(`
  ENTPersonStructRattach ENTPersonFonctions ENTEnsFonctionDir ENTEnsSpecialites
  ENTPersonCategorieEnseignant ENTPersonStructRattachDate ENTPersonFonctionsDate
  ENTEnsFonctionDirDate ENTPersonCategorieEnseignantDate`);

const TABLE: Readonly<Record<AafEntity, Readonly<Record<Level, ReadonlySet<string>>>>> = {
  EtabEducNat: {
    '2d': new Set([...STRUCTURE_COMMON, ...STRUCTURE_2D]),
    '1d': new Set([...STRUCTURE_COMMON, ...STRUCTURE_1D]),
  },
  MatiereEducNat: { '2d': new Set(SUBJECT), '1d': new Set(SUBJECT) },
  MefEducNat: { '2d': new Set(MEF), '1d': new Set(MEF) },
  Eleve: {
    '2d': new Set([...PERSON_2D, ...PUPIL_2D, ...ADDRESS]),
    '1d': new Set([...PERSON_1D, ...PUPIL_1D]),
  },
  PersRelEleve: {
    '2d': new Set([...PERSON_2D, ...ADDRESS, ...RELATIVE_2D]),
    '1d': new Set([...PERSON_1D, ...ADDRESS, ...RELATIVE_1D]),
  },
  PersEducNat: {
    '2d': new Set([...PERSON_2D, ...STAFF_2D]),
    '1d': new Set([...PERSON_1D, ...STAFF_1D]),
  },
};

/**
 * The attribute names the format documents for an entity at a level (a fresh sorted array).
 * Used to count the unknown ones (new AAF versions add attributes; they are kept, not fatal).
 */
export function knownAttributes(entity: AafEntity, level: Level): string[] {
  return [...TABLE[entity][level]].sort();
}

/**
 * The attribute names of a record that neither level documents for its entity, in record
 * order. A 2D name in a 1D file (or the reverse) is not unknown: producers mix them.
 */
export function unknownAttributes(
  entity: AafEntity,
  attributes: Readonly<Record<string, unknown>>,
): string[] {
  return unknownAttributeNames(entity, Object.keys(attributes));
}

/** Every name documented for an entity, at either level. */
export function documentedAttributes(entity: AafEntity): ReadonlySet<string> {
  const { '1d': d1, '2d': d2 } = TABLE[entity];
  return new Set([...d1, ...d2]);
}

/** The same for a list of attribute names. */
export function unknownAttributeNames(entity: AafEntity, names: readonly string[]): string[] {
  const { '1d': d1, '2d': d2 } = TABLE[entity];
  return names.filter((name) => !d1.has(name) && !d2.has(name));
}

/** Names that only 1D files use for an entity (level detection). */
export function levelOnlyAttributes(entity: AafEntity, level: Level): ReadonlySet<string> {
  const mine = TABLE[entity][level];
  const other = TABLE[entity][level === '1d' ? '2d' : '1d'];
  return new Set([...mine].filter((n) => !other.has(n)));
}
