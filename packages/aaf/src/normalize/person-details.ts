import { isoDate, type FieldReader } from './field-reader.js';

type Theme = Record<string, unknown>;

/** Drops null, '' and empty arrays/objects, so that details only hold what the file says. */
export function compact(theme: Theme): Theme {
  const out: Theme = {};
  for (const [key, value] of Object.entries(theme)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** Keeps the non-empty themes. */
export function themes(all: Record<string, Theme>): Record<string, Theme> {
  const out: Record<string, Theme> = {};
  for (const [name, theme] of Object.entries(all)) {
    const kept = compact(theme);
    if (Object.keys(kept).length > 0) out[name] = kept;
  }
  return out;
}

/** Address lines of a `$`-joined address (`3 RUE X$$$` → ['3 RUE X']). */
export function addressLines(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split('$')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Phones, address and address consent (2D and 1D names). */
export function contactTheme(r: FieldReader): Theme {
  return {
    homePhone: r.one('homePhone', 'ENTPersonTelPerso'),
    workPhone: r.one('telephoneNumber', 'ENTPersRelEleveTelPro'),
    mobiles: r.values('mobile', 'ENTPersRelEleveTelMobile'),
    smsMobile: r.one('ENTPersonMobileSMS'),
    address: addressLines(r.one('ENTPersonAdresse')),
    postalCode: r.one('ENTPersonCodePostal'),
    city: r.one('ENTPersonVille'),
    country: r.one('ENTPersonPays'),
    addressConsent: r.bool('ENTPersonAdresseDiffusion'),
  };
}

function dated(r: FieldReader, name: string): { structure: string; date: string; code: string }[] {
  return r.composite(name).map(([structure = '', date = '', code = '']) => ({
    structure,
    date: isoDate(date) ?? date,
    code,
  }));
}

/** A pupil's schooling: MEF, level, track, regime, status, subjects, 1D cycle and services. */
export function schoolingTheme(r: FieldReader): Theme {
  return {
    mef: r.one('ENTEleveMEF'),
    mefLabel: r.one('ENTEleveLibelleMEF'),
    level: r.one('ENTEleveNivFormation', 'ENTEleveNiveau'),
    track: r.one('ENTEleveFiliere'),
    cycle: r.one('ENTEleveCycle'),
    classType: r.one('ENTEleveTypeClasse'),
    regime: r.one('ENTEleveRegime'),
    status: r.one('ENTEleveStatutEleve'),
    scholarship: r.bool('ENTEleveBoursier'),
    transport: r.bool('ENTEleveTransport'),
    // Codes and labels are two lists (deduplicated separately, so not zipped).
    subjectCodes: r.values('ENTEleveCodeEnseignements'),
    subjectLabels: r.values('ENTEleveEnseignements'),
    hostSchoolSubjects: r.values('ENTEleveEnseignementsEtablissementsAccueil'),
    services: compact({
      canteen: r.bool('ENTEleveRestaurantScolaire'),
      morningCare: r.bool('ENTEleveGarderieMatin'),
      eveningCare: r.bool('ENTEleveGarderieSoir'),
      supervisedStudy: r.bool('ENTEleveEtudesSurveillees'),
    }),
    attachmentId: r.one('ENTEleveStructRattachId'),
    attachmentIdAgriculture: r.one('ENTEleveStructureRattachIdMEN'),
    classEntries: dated(r, 'ENTEleveDateEntreeClasses'),
    classExits: dated(r, 'ENTEleveDateSortieClasses'),
    structureEntryDate: r.looseDate('ENTEleveDateEntreeStructRattach'),
    structureExitDate: r.looseDate('ENTEleveDateSortieStructRattach'),
    sharedAddressWith: r.values('ENTEleveAdresseRel'),
  };
}

/** Staff teaching data besides the links: disciplines, MEFs and subjects taught, STS ids. */
export function staffTheme(r: FieldReader): Theme {
  return {
    disciplineCategories: r
      .composite('ENTAuxEnsCategoDiscipline')
      .map(([code = '', label = '']) => ({ code, label })),
    postDisciplines: r
      .composite('ENTAuxEnsDisciplinesPoste')
      .map(([label = '', code = '']) => ({ code, label })),
    mefs: r
      .composite('ENTAuxEnsMEF')
      .map(([structure = '', code = '', label = '']) => ({ structure, code, label })),
    subjectsTaught: r
      .composite('ENTAuxEnsMatiereEnseignEtab')
      .map(([structure = '', label = '']) => ({ structure, label })),
    specialities: r.values('ENTEnsSpecialites'),
    stsIds: r.values('ENTPersonSTSId'),
  };
}
