import {
  sql,
  type ClassGroupKind,
  type Executor,
  type PersonState,
  type Profile,
} from '@aaf-sync/db';
import type { Audience } from './audience.js';
import { withFeedPosition, type FeedPosition } from './feed-head.js';
import { PERSONAL_PERSON_COLUMNS, PUBLIC_PERSON_COLUMNS, type PersonRow } from './person-view.js';
import { personInScope, type Scope } from './scope.js';
import { normalizedSql, searchTokens } from './search-text.js';

/** A class or group a person belongs to: by structure jointure, or by UAI, and code. */
export interface ClassGroupRef {
  readonly kind?: ClassGroupKind;
  readonly structureJointure?: string;
  readonly uai?: string;
  readonly code: string;
}

export interface PersonFilter {
  readonly uai?: string;
  readonly profile?: Profile;
  readonly state?: PersonState;
  readonly classGroup?: ClassGroupRef;
  /**
   * Free text matched against given name and name (and birth name for the personal audience);
   * every token must match.
   */
  readonly q?: string;
}

export interface KeysetPage<K> {
  /** Continue after this key (null: first page). */
  readonly after: K | null;
  readonly limit: number;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Persons matching `filter` in `scope`, by ascending id, with the feed position of the same
 * snapshot: the first page of a listing is a consistent snapshot to follow the change feed from.
 */
export async function listPersons(
  db: Executor,
  scope: Scope,
  audience: Audience,
  filter: PersonFilter,
  page: KeysetPage<number>,
): Promise<{ rows: PersonRow[]; position: FeedPosition }> {
  let query = db
    .selectFrom('person as p')
    .select(PUBLIC_PERSON_COLUMNS)
    .$if(audience === 'personal', (q) => q.select(PERSONAL_PERSON_COLUMNS))
    .where(personInScope(scope, sql.ref('p.jointure')));
  if (page.after !== null) query = query.where('p.id', '>', page.after);
  if (filter.profile) query = query.where('p.profile', '=', filter.profile);
  if (filter.state) query = query.where('p.state', '=', filter.state);
  if (filter.uai) {
    query = query.where(sql<boolean>`exists (
      select 1 from person_structure ps join structure s on s.jointure = ps.structure_jointure
      where ps.person_jointure = p.jointure and s.uai = ${filter.uai})`);
  }
  const cg = filter.classGroup;
  if (cg) {
    query = query.where(sql<boolean>`exists (
      select 1 from membership m
        join class_group cg on cg.id = m.class_group_id
        join structure s on s.jointure = cg.structure_jointure
      where m.person_jointure = p.jointure and cg.code = ${cg.code}
        and (${cg.kind ?? null}::text is null or cg.kind = ${cg.kind ?? null})
        and (${cg.structureJointure ?? null}::text is null or cg.structure_jointure = ${cg.structureJointure ?? null})
        and (${cg.uai ?? null}::text is null or s.uai = ${cg.uai ?? null}))`);
  }
  for (const token of searchTokens(filter.q ?? '')) {
    const like = `%${escapeLike(token)}%`;
    // The birth name is personal: only the personal audience may search by it.
    const birthName =
      audience === 'personal'
        ? sql`or ${normalizedSql(sql.ref('p.birth_name'))} like ${like}`
        : sql``;
    query = query.where(sql<boolean>`(
      ${normalizedSql(sql.ref('p.sn'))} like ${like}
      or ${normalizedSql(sql.ref('p.given_name'))} like ${like} ${birthName})`);
  }
  const built = query.orderBy('p.id').limit(page.limit);
  return withFeedPosition<PersonRow>(db, built);
}
