/** `userAccountControl` bits the driver touches (MS-ADTS 2.2.16). */
export const ACCOUNTDISABLE = 0x2;
export const NORMAL_ACCOUNT = 0x200;
/** A new user: a normal account, disabled until its password is set (514). */
export const CREATED_DISABLED = NORMAL_ACCOUNT | ACCOUNTDISABLE;

export const isDisabled = (uac: number) => (uac & ACCOUNTDISABLE) !== 0;

/** The value with only the ACCOUNTDISABLE bit changed (other bits are the domain admin's). */
export const withEnabled = (uac: number, enabled: boolean) =>
  enabled ? uac & ~ACCOUNTDISABLE : uac | ACCOUNTDISABLE;

export function uacOf(values: readonly string[] | undefined): number {
  const n = Number(values?.[0]);
  return Number.isInteger(n) ? n : NORMAL_ACCOUNT;
}
