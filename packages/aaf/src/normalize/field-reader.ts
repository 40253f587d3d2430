import type { Reject, RejectCode, Warning, WarningCode } from '../model.js';
import { EmailSchema, IneSchema, UaiSchema } from '../schemas.js';
import { COMPOSITE_ARITY, splitFields } from './composite.js';

const TRUE = new Set(['O', 'OUI', 'Y', 'YES', '1', 'TRUE']);
const FALSE = new Set(['N', 'NON', 'NO', '0', 'FALSE']);

/** `dd/MM/yyyy` (or already `yyyy-MM-dd`) → `yyyy-MM-dd` when it is a real date, else null. */
export function isoDate(value: string): string | null {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[3]), Number(m[2]), Number(m[1])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else return null;
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `O`/`N` (also `Y`, `1`/`0`, `OUI`/`NON`) → boolean; anything else → null. */
export function aafBoolean(value: string): boolean | null {
  const v = value.trim().toUpperCase();
  return TRUE.has(v) ? true : FALSE.has(v) ? false : null;
}

/** A reject of the whole record. */
export function recordReject(code: RejectCode, message: string): Reject {
  return { code, message };
}

/** Pushes `item` unless an item with the same key is already there (first one wins). */
export function pushUnique<T>(list: T[], keys: Set<string>, key: string, item: T): void {
  if (keys.has(key)) return;
  keys.add(key);
  list.push(item);
}

/**
 * Reads a record's raw attributes for the normalizer: trimmed non-empty values, composites
 * split with their field count checked, typed fields checked; every value it drops becomes a
 * value reject in `rejects`.
 */
export class FieldReader {
  readonly rejects: Reject[] = [];
  readonly warnings: Warning[] = [];

  constructor(readonly attributes: Readonly<Record<string, readonly string[]>>) {}

  has(name: string): boolean {
    return this.values(name).length > 0;
  }

  /** Non-empty trimmed values of the attributes, in order, deduplicated. */
  values(...names: string[]): string[] {
    const out: string[] = [];
    for (const name of names) {
      for (const raw of this.attributes[name] ?? []) {
        const v = raw.trim();
        if (v !== '' && !out.includes(v)) out.push(v);
      }
    }
    return out;
  }

  /** The first non-empty value among the attributes, or null. */
  one(...names: string[]): string | null {
    for (const name of names) {
      for (const raw of this.attributes[name] ?? []) {
        const v = raw.trim();
        if (v !== '') return v;
      }
    }
    return null;
  }

  /** Split composite values with the expected field count; the others are rejected. */
  composite(name: string): string[][] {
    const arity = COMPOSITE_ARITY[name] ?? { min: 1, max: Infinity };
    const out: string[][] = [];
    for (const value of this.values(name)) {
      const fields = splitFields(value).map((f) => f.trim());
      if (fields.length < arity.min || fields.length > arity.max) {
        const expected = arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
        this.valueReject(
          'COMPOSITE_ARITY',
          name,
          value,
          `${fields.length} fields, expected ${expected}`,
        );
        continue;
      }
      out.push(fields);
    }
    return out;
  }

  date(name: string): string | null {
    const value = this.one(name);
    if (value === null) return null;
    const iso = isoDate(value);
    if (iso === null) this.valueReject('INVALID_DATE', name, value, 'not a dd/MM/yyyy date');
    return iso;
  }

  /**
   * A birth date: an impossible one (31/02, year before 1900 or in the future) is dropped with
   * a warning, not a reject; a missing one warns when `required` (pupils).
   */
  birthDate(name: string, required: boolean): string | null {
    const value = this.one(name);
    if (value === null) {
      if (required) this.warn('BIRTH_DATE_MISSING', name, '', 'no birth date');
      return null;
    }
    const iso = isoDate(value);
    if (iso === null || Number(iso.slice(0, 4)) > new Date().getUTCFullYear()) {
      this.warn('BIRTH_DATE_INVALID', name, value, 'impossible birth date (kept without it)');
      return null;
    }
    return iso;
  }

  /** A date of an attribute whose format is not settled: converted when it parses, else raw. */
  looseDate(name: string): string | null {
    const value = this.one(name);
    return value === null ? null : (isoDate(value) ?? value);
  }

  bool(name: string): boolean | null {
    const value = this.one(name);
    if (value === null) return null;
    const b = aafBoolean(value);
    if (b === null) this.valueReject('INVALID_VALUE', name, value, 'expected O or N');
    return b;
  }

  uai(...names: string[]): string | null {
    const value = this.one(...names);
    if (value === null) return null;
    const uai = value.toUpperCase();
    if (UaiSchema.safeParse(uai).success) return uai;
    this.valueReject('INVALID_VALUE', names[0]!, value, 'a UAI is 7 digits and a letter');
    return null;
  }

  mail(...names: string[]): string | null {
    const value = this.one(...names);
    if (value === null || EmailSchema.safeParse(value).success) return value;
    this.valueReject('INVALID_VALUE', names[0]!, value, 'not an e-mail address');
    return null;
  }

  ine(name: string): string | null {
    const value = this.one(name);
    if (value === null) return null;
    const ine = value.toUpperCase();
    if (IneSchema.safeParse(ine).success) return ine;
    this.valueReject('INVALID_VALUE', name, value, 'an INE is 11 digits or capital letters');
    return null;
  }

  warn(code: WarningCode, attribute: string, value: string, why: string): void {
    this.warnings.push({ code, attribute, value, message: `${attribute}: ${why}` });
  }

  valueReject(code: RejectCode, attribute: string, value: string, why: string): void {
    this.rejects.push({ code, attribute, value, message: `${attribute}: ${why}` });
  }
}
