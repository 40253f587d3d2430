/**
 * Active Directory `userAccountControl` flags (MS-ADTS 2.2.16), for code that reads or writes AD
 * accounts (KoXo read-back, the direct AD writer). The attribute is a decimal integer.
 */
export const UAC = Object.freeze({
  ACCOUNTDISABLE: 0x0002,
  LOCKOUT: 0x0010,
  PASSWD_NOTREQD: 0x0020,
  NORMAL_ACCOUNT: 0x0200,
  DONT_EXPIRE_PASSWORD: 0x1_0000,
  PASSWORD_EXPIRED: 0x80_0000,
});

/** The flags of a `userAccountControl` value as read (string), or null when absent or not a number. */
export function parseUserAccountControl(value: string | undefined | null): number | null {
  if (value === undefined || value === null || !/^-?[0-9]{1,10}$/.test(value.trim())) return null;
  // AD returns it as a signed 32-bit integer on some servers: keep the bits.
  return Number(value.trim()) >>> 0;
}

/** Whether an AD account is enabled (ACCOUNTDISABLE unset); null when the value is unknown. */
export function accountEnabled(value: string | undefined | null): boolean | null {
  const flags = parseUserAccountControl(value);
  return flags === null ? null : (flags & UAC.ACCOUNTDISABLE) === 0;
}
