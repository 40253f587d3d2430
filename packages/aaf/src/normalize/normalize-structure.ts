import type { Level, StructureRecord } from '../model.js';
import { recordReject, type FieldReader } from './field-reader.js';
import { addressLines, themes } from './person-details.js';

/** `CLG$DES TILLEULS$VILLEBOIS` → `CLG - DES TILLEULS - VILLEBOIS` (empty parts dropped). */
export function structureName(value: string): string {
  return value
    .split('$')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(' - ');
}

function declaredClasses(r: FieldReader): StructureRecord['declaredClasses'] {
  const byCode = new Map<string, { code: string; label: string; mefs: string[] }>();
  for (const [code = '', label = '', ...mefs] of r.composite('ENTStructureClasses')) {
    if (code === '') continue;
    const entry = byCode.get(code) ?? { code, label: label || code, mefs: [] };
    for (const mef of mefs) if (mef !== '' && !entry.mefs.includes(mef)) entry.mefs.push(mef);
    byCode.set(code, entry);
  }
  return [...byCode.values()];
}

/** Groups with their classes; a class the structure does not declare is warned about. */
function declaredGroups(
  r: FieldReader,
  classes: StructureRecord['declaredClasses'],
): StructureRecord['declaredGroups'] {
  const known = new Set(classes.map((c) => c.code));
  const byCode = new Map<string, { code: string; label: string; classes: string[] }>();
  for (const fields of r.composite('ENTStructureGroupes')) {
    const [code = '', label = '', ...members] = fields;
    if (code === '') continue;
    const entry = byCode.get(code) ?? { code, label: label || code, classes: [] };
    for (const c of members) if (c !== '' && !entry.classes.includes(c)) entry.classes.push(c);
    byCode.set(code, entry);
    const unknown = members.filter((c) => c !== '' && !known.has(c));
    if (unknown.length > 0)
      r.warn(
        'GROUP_CLASSES_UNKNOWN',
        'ENTStructureGroupes',
        fields.join('$'),
        `group ${code}: class ${unknown.join(', ')} not among the establishment's classes`,
      );
  }
  return [...byCode.values()];
}

function structureDetails(r: FieldReader): NonNullable<StructureRecord['details']> {
  const [basinCode = '', basinLabel = ''] = r.composite('ENTEtablissementBassin')[0] ?? [];
  return themes({
    contact: {
      address: addressLines(r.one('street', 'ENTStructureAdresse')),
      postOfficeBox: r.one('postOfficeBox', 'ENTStructureBoitePostale'),
      postalCode: r.one('postalCode', 'ENTStructureCodePostal'),
      city: r.one('l', 'ENTStructureVille'),
      phone: r.one('telephoneNumber', 'ENTStructureTelephone'),
      fax: r.one('facsimileTelephoneNumber', 'ENTStructureFax'),
      mail: r.one('ENTStructureMailSI', 'ENTStructureEmail'),
    },
    admin: {
      siren: r.one('ENTStructureSIREN'),
      typeCode: r.one('ENTStructureCodeTypeStruct'),
      ministry: r.one('ENTEtablissementMinistereTutelle', 'ENTEcoleMinistereTutelle'),
      ministryCode: r.one('ENTEtablissementCodeMinistereTutelle', 'ENTEcoleCodeMinistereTutelle'),
      academyCode: r.one('ENTServAcCodeAcademie'),
      basin: basinCode === '' ? null : { code: basinCode, label: basinLabel },
      functionalAttachments: r.values('ENTEtablissementStructRattachFctl'),
      sector: r.one('ENTEcoleSecteur'),
      district: r.one('ENTEcoleCirconscription'),
      commune: r.one('ENTEcoleCommune'),
      rpi: r.one('ENTEcoleRPI'),
    },
  });
}

/**
 * A structure (établissement or école). The name falls back to the UAI; without either the
 * record is rejected (MISSING_REQUIRED). An invalid UAI is a value reject (uai null).
 */
export function normalizeStructure(
  r: FieldReader,
  level: Level,
  id: string,
): StructureRecord | null {
  const jointure = r.one('ENTStructureJointure');
  if (jointure !== null && jointure !== id) {
    r.rejects.push(
      recordReject('IDENTIFIER_MISMATCH', `ENTStructureJointure ${jointure} ≠ id ${id}`),
    );
    return null;
  }
  const uai = r.uai('ENTStructureUAI', 'ENTEtablissementUAI');
  const rawName = r.one('ENTStructureNomCourant');
  const name = (rawName === null ? '' : structureName(rawName)) || uai || r.one('ENTStructureUAI');
  if (!name) {
    r.rejects.push(recordReject('MISSING_REQUIRED', 'no ENTStructureNomCourant nor UAI'));
    return null;
  }
  const classes = declaredClasses(r);
  return {
    kind: 'structure',
    level,
    jointure: id,
    uai,
    name,
    type: r.one('ENTStructureTypeStruct'),
    contract: r.one('ENTEtablissementContrat'),
    academy: r.one('ENTServAcAcademie'),
    declaredClasses: classes,
    declaredGroups: declaredGroups(r, classes),
    details: structureDetails(r),
  };
}
