/**
 * Field counts of the `$`-joined attributes (docs/aaf-format.md §3.8). A value with
 * another count is a COMPOSITE_ARITY value reject: that value is dropped, the record is kept.
 */
export const COMPOSITE_ARITY: Readonly<Record<string, { min: number; max: number }>> = {
  // struct$code
  ENTEleveClasses: { min: 2, max: 2 },
  ENTEleveGroupes: { min: 2, max: 2 },
  // struct$code (ENT NG also accepts a third field on staff: the subject)
  ENTAuxEnsClasses: { min: 2, max: 3 },
  ENTAuxEnsGroupes: { min: 2, max: 3 },
  ENTAuxEnsClassesPrincipal: { min: 2, max: 3 },
  // struct$code$subject
  ENTAuxEnsClassesMatieres: { min: 3, max: 3 },
  ENTAuxEnsGroupesMatieres: { min: 3, max: 3 },
  // struct$mefCode$mefLabel
  ENTAuxEnsMEF: { min: 3, max: 3 },
  // struct$subjectLabel
  ENTAuxEnsMatiereEnseignEtab: { min: 2, max: 2 },
  // struct$fnCode$fnLabel$discCode$discLabel
  ENTPersonFonctions: { min: 5, max: 5 },
  // relJointure$relationship$financial$legal$contact$payment
  ENTElevePersRelEleve: { min: 6, max: 6 },
  // 1D relJointure$relationship; 2D legacy: a bare jointure
  ENTEleveAutoriteParentale: { min: 1, max: 2 },
  // 1D struct$?$?$id$label
  ENTPersonClasses: { min: 5, max: 5 },
  ENTPersonGroupes: { min: 5, max: 5 },
  // code$label$mef… / code$label$class…
  ENTStructureClasses: { min: 1, max: Infinity },
  ENTStructureGroupes: { min: 1, max: Infinity },
  // code$label
  ENTAuxEnsCategoDiscipline: { min: 2, max: 2 },
  // label$categoryCode (reversed)
  ENTAuxEnsDisciplinesPoste: { min: 2, max: 2 },
  ENTEtablissementBassin: { min: 2, max: 2 },
  // struct$date$class
  ENTEleveDateEntreeClasses: { min: 3, max: 3 },
  ENTEleveDateSortieClasses: { min: 3, max: 3 },
};

/** Splits a composite value on `$`, keeping empty fields (`a$$$` has 4 fields). */
export function splitFields(value: string): string[] {
  return value.indexOf('$') < 0 ? [value] : value.split('$');
}
