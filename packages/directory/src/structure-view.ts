import { isoTime } from './person-view.js';

export interface StructureRow {
  /** The directory key (links, events, cursors). */
  jointure: string;
  /** The AAF id within `scope`: what the view calls `jointure` (absent: the key). */
  aaf_id?: string;
  scope?: string;
  uai: string | null;
  name: string;
  type: string | null;
  contract: string | null;
  academy: string | null;
  level: '1d' | '2d';
  version: number;
  updated_at: Date | string;
  counts?: Record<string, number> | null;
}

export interface StructureView {
  readonly jointure: string;
  /** Académie scope of the files that feed it ('-': none). */
  readonly scope?: string;
  readonly uai: string | null;
  readonly name: string;
  readonly type: string | null;
  readonly contract: string | null;
  readonly academy: string | null;
  readonly level: '1d' | '2d';
  readonly version: number;
  readonly updatedAt: string;
  /** Attached persons by profile and state (detail view only), e.g. `{ "pupil.active": 412 }`. */
  readonly counts?: Record<string, number>;
}

export function structureRowToView(row: StructureRow): StructureView {
  const view: StructureView = {
    jointure: row.aaf_id ?? row.jointure,
    ...(row.scope !== undefined ? { scope: row.scope } : {}),
    uai: row.uai,
    name: row.name,
    type: row.type,
    contract: row.contract,
    academy: row.academy,
    level: row.level,
    version: row.version,
    updatedAt: isoTime(row.updated_at),
  };
  return row.counts === undefined ? view : { ...view, counts: row.counts ?? {} };
}
