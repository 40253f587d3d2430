import { sql, type Executor } from '@aaf-sync/db';
import type { StructureDirectory } from './structure-directory.js';

/**
 * Who may be changed by a submitter: `uais: null` is academy-wide (CLI, inbox, unscoped API
 * keys); otherwise the UAIs of the establishments an establishment-scoped API key may import.
 */
export interface SubmitterScope {
  readonly uais: readonly string[] | null;
}

export const ACADEMY_WIDE: SubmitterScope = Object.freeze({ uais: null });

/** The scope rule of the planning pass (see the README, "Submitter scope"). */
export class ScopeCheck {
  readonly #uais: ReadonlySet<string> | null;

  constructor(
    scope: SubmitterScope,
    private readonly structures: StructureDirectory,
  ) {
    this.#uais = scope.uais === null ? null : new Set(scope.uais);
  }

  /** False for academy-wide submitters: nothing is checked. */
  get scoped(): boolean {
    return this.#uais !== null;
  }

  /** True when this UAI is one of the submitter's establishments. */
  allowsUai(uai: string | null): boolean {
    return this.#uais === null || (uai !== null && this.#uais.has(uai));
  }

  /**
   * True when every structure (jointure) is an establishment of the submitter. A structure not in
   * the directory (nor created earlier in the delivery) or without a UAI is not.
   */
  covers(structures: Iterable<string>): boolean {
    if (this.#uais === null) return true;
    for (const s of structures) if (!this.allowsUai(this.structures.uai(s))) return false;
    return true;
  }
}

/**
 * The establishments an existing person holds now: its structure links and its attachment and,
 * for a relative, those of its active pupils. One query per batch, only for scoped submitters.
 */
export async function currentStructures(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, string[]>> {
  if (jointures.length === 0) return new Map();
  const { rows } = await sql<{ jointure: string; structures: string[] }>`
    select p.jointure, array(
      select ps.structure_jointure from person_structure ps where ps.person_jointure = p.jointure
      union select p.primary_structure where p.primary_structure is not null
      union select ps.structure_jointure from relative_link rl
        join person pupil on pupil.jointure = rl.pupil_jointure and pupil.state = 'active'
        join person_structure ps on ps.person_jointure = pupil.jointure
        where rl.relative_jointure = p.jointure
    ) as structures
    from person p where p.jointure = any(${[...jointures]}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.jointure, r.structures]));
}

/** The message of an OUT_OF_SCOPE reject: names only what the submitter sent. */
export function outOfScopeMessage(what: string): string {
  return `${what} touches an establishment outside the submitter's establishments: not applied`;
}
