import type { Generated, Selectable } from 'kysely';

export const IDENTIFIER_STATUSES = ['primary', 'alias', 'retired'] as const;
export type IdentifierStatus = (typeof IDENTIFIER_STATUSES)[number];

export interface IdentifierTable {
  id: Generated<number>;
  namespace: string;
  value: string;
  person_id: number;
  status: IdentifierStatus;
  base: string | null;
  created_at: Generated<Date>;
  retired_at: Date | null;
  note: string | null;
  /** 1 at creation, +1 on each status change (migration 0003). */
  version: Generated<number>;
}

/** How many homonym slots were handed out for (namespace, base): the next index to use. */
export interface IdentifierCounterTable {
  namespace: string;
  base: string;
  allocated: number;
}

export type Identifier = Selectable<IdentifierTable>;
