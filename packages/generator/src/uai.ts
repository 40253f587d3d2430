import { UAI_PATTERN } from '@aaf-sync/aaf';
const UAI_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/**
 * A UAI from its 7-digit number: the check letter is the number modulo 23 in the alphabet without
 * I, O and Q (the rule reproduces real UAIs such as 0690076H; see aaf-format.md §8).
 */
export function uaiFromNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9_999_999) throw new RangeError(`bad UAI number ${n}`);
  return `${String(n).padStart(7, '0')}${UAI_LETTERS[n % 23]}`;
}

/** True when the check letter of a `^[0-9]{7}[A-Z]$` UAI follows the mod-23 rule. */
export function isValidUai(uai: string): boolean {
  if (!UAI_PATTERN.test(uai)) return false;
  return uaiFromNumber(Number(uai.slice(0, 7))) === uai;
}
