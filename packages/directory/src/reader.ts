import type { Executor } from '@aaf-sync/db';
import type { Audience } from './audience.js';
import type { Scope } from './scope.js';

/**
 * Who reads a record, for the projections of this package: the audience (which fields) and the
 * establishments (which parts of a person). `uais: null` reads every establishment; otherwise
 * `structures` holds the structure jointures of those UAIs (events and details name structures
 * by jointure).
 */
export interface Reader {
  readonly audience: Audience;
  readonly uais: ReadonlySet<string> | null;
  readonly structures: ReadonlySet<string> | null;
}

/** A reader of every establishment. */
export function unrestrictedReader(audience: Audience): Reader {
  return { audience, uais: null, structures: null };
}

/** A reader of these UAIs whose structures are already known (tests, callers that cache them). */
export function scopedReader(
  audience: Audience,
  uais: readonly string[],
  structures: readonly string[],
): Reader {
  return { audience, uais: new Set(uais), structures: new Set(structures) };
}

/**
 * The reader for a scope: no query for an unrestricted scope, one (indexed) query for the
 * structure jointures of a scoped one, once per request.
 */
export async function readerFor(db: Executor, scope: Scope, audience: Audience): Promise<Reader> {
  if (scope.uais === null) return unrestrictedReader(audience);
  const rows = await db
    .selectFrom('structure')
    .select('jointure')
    .where('uai', 'in', scope.uais.length > 0 ? [...scope.uais] : [''])
    .execute();
  return scopedReader(
    audience,
    scope.uais,
    rows.map((r) => r.jointure),
  );
}
