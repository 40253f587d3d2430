import type { TargetKind } from '@aaf-sync/db';

/**
 * Target kinds that take passwords from us, with the identifier namespace whose primary value is
 * the login there. Only Scribe for now (KoXo and AD drivers do not exist yet); a reset or a sheet
 * concerns targets of these kinds only.
 */
export const PASSWORD_TARGETS: Readonly<Partial<Record<TargetKind, { namespace: string }>>> = {
  scribe: { namespace: 'scribe' },
};

export function takesPasswords(kind: TargetKind): boolean {
  return PASSWORD_TARGETS[kind] !== undefined;
}
