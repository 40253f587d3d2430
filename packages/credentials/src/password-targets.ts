import type { TargetKind } from '@aaf-sync/db';

/**
 * Target kinds that take passwords from us at any time (creation and resets), with the
 * identifier namespace whose primary value is the login there: Scribe (`uid`) and Active
 * Directory written directly (`sAMAccountName`, the `koxo` namespace, packages/ad). A reset
 * concerns targets of these kinds only. KoXo takes an initial password only in the file that
 * creates the account (`filePasswords`), so it is not listed; sheets work for any target with
 * credential rows.
 */
export const PASSWORD_TARGETS: Readonly<Partial<Record<TargetKind, { namespace: string }>>> = {
  scribe: { namespace: 'scribe' },
  ad: { namespace: 'koxo' },
};

export function takesPasswords(kind: TargetKind): boolean {
  return PASSWORD_TARGETS[kind] !== undefined;
}
