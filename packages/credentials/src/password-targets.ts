import type { TargetKind } from '@aaf-sync/db';

/**
 * Target kinds that take passwords from us, with the identifier namespace whose primary value is
 * the login there: Scribe (`uid`) and Active Directory written directly (`sAMAccountName`, the
 * `koxo` namespace, packages/ad). A reset or a sheet concerns targets of these kinds only.
 */
export const PASSWORD_TARGETS: Readonly<Partial<Record<TargetKind, { namespace: string }>>> = {
  scribe: { namespace: 'scribe' },
  ad: { namespace: 'koxo' },
};

export function takesPasswords(kind: TargetKind): boolean {
  return PASSWORD_TARGETS[kind] !== undefined;
}
