import { randomInt } from 'node:crypto';

/**
 * The four character classes of an initial password, without look-alikes: no 0/O/o, 1/l/I/i,
 * and symbols from a small set easy to type on French and English keyboards, none of which a
 * spreadsheet reads as the start of a formula (= + - @).
 */
export const PASSWORD_CLASSES = {
  lower: 'abcdefghjkmnpqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  symbol: '!#$%&*?',
} as const;

export type PasswordClass = keyof typeof PASSWORD_CLASSES;

const ALPHABET = Object.values(PASSWORD_CLASSES).join('');

export const MIN_PASSWORD_LENGTH = 12;

/** The classes `password` uses. */
export function passwordClasses(password: string): PasswordClass[] {
  return (Object.keys(PASSWORD_CLASSES) as PasswordClass[]).filter((c) =>
    [...password].some((ch) => PASSWORD_CLASSES[c].includes(ch)),
  );
}

/**
 * A new initial password from the CSPRNG (`crypto.randomInt`): `length` characters (at least
 * 12) drawn uniformly from the alphabet above, drawn again until at least 3 of the 4 classes
 * appear (rejection keeps every acceptable password equally likely). 12 characters from 62
 * symbols are about 71 bits.
 */
export function generatePassword(length = MIN_PASSWORD_LENGTH): string {
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > 256) {
    throw new RangeError(`password length must be an integer from ${MIN_PASSWORD_LENGTH} to 256`);
  }
  for (;;) {
    let password = '';
    for (let i = 0; i < length; i += 1) password += ALPHABET[randomInt(ALPHABET.length)];
    if (passwordClasses(password).length >= 3) return password;
  }
}
