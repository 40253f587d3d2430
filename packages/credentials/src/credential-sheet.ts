import type { CredentialReason } from '@aaf-sync/db';

/** One account on a credential sheet. */
export interface SheetEntry {
  readonly personId: number;
  readonly sn: string;
  readonly givenName: string;
  readonly login: string;
  readonly password: string;
  readonly reason: CredentialReason;
}

/** The accounts of one class (code null: accounts in no class of the establishment). */
export interface SheetClass {
  readonly code: string | null;
  readonly label: string | null;
  readonly entries: readonly SheetEntry[];
}

/** What one retrieval returns: the passwords of an establishment (or one class) on a target. */
export interface CredentialSheet {
  readonly target: string;
  readonly uai: string;
  readonly establishment: string | null;
  /** The class asked for, if any. */
  readonly classCode: string | null;
  readonly classes: readonly SheetClass[];
  readonly count: number;
  /** Passwords issued but not set on the target yet (not on the sheet). */
  readonly pending: number;
  /** True when the clear copies were purged by this retrieval (a second one answers 410). */
  readonly purged: boolean;
  readonly retrievedAt: Date;
}
