import type { MefRecord, SubjectRecord } from '../model.js';
import { recordReject, type FieldReader } from './field-reader.js';

function mismatch(r: FieldReader, attribute: string, id: string): boolean {
  const declared = r.one(attribute);
  if (declared === null || declared === id) return false;
  r.rejects.push(recordReject('IDENTIFIER_MISMATCH', `${attribute} ${declared} ≠ id ${id}`));
  return true;
}

/** A subject of the BCN nomenclature (MatiereEducNat): code = id, label required. */
export function normalizeSubject(r: FieldReader, id: string): SubjectRecord | null {
  if (mismatch(r, 'ENTMatJointure', id)) return null;
  const label = r.one('ENTLibelleMatiere');
  if (label === null) {
    r.rejects.push(recordReject('MISSING_REQUIRED', 'no ENTLibelleMatiere'));
    return null;
  }
  return { kind: 'subject', code: id, label };
}

/** A MEF (MefEducNat): code = id, label required. */
export function normalizeMef(r: FieldReader, id: string): MefRecord | null {
  if (mismatch(r, 'ENTMefJointure', id)) return null;
  const label = r.one('ENTLibelleMef');
  if (label === null) {
    r.rejects.push(recordReject('MISSING_REQUIRED', 'no ENTLibelleMef'));
    return null;
  }
  return {
    kind: 'mef',
    code: id,
    label,
    attachment: r.one('ENTMEFRattach'),
    stat11: r.one('ENTMEFSTAT11'),
  };
}
