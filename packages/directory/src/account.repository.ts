import { PREPARED, sql, type Executor, type RawBuilder } from '@aaf-sync/db';
import type { AccountRow } from './account-view.js';
import { personInScope, structureInScope, targetInScope, uaiInScope, type Scope } from './scope.js';

/** How an account is named in `GET /v1/accounts/{id}`. */
export type AccountRef =
  | { readonly by: 'id'; readonly id: number }
  | { readonly by: 'jointure'; readonly value: string }
  | { readonly by: 'identifier'; readonly namespace: string | null; readonly value: string }
  /** Unprefixed: an internal id (digits), a jointure or an identifier value of any namespace. */
  | { readonly by: 'any'; readonly value: string };

/**
 * Only the persons of this académie scope (`?scope=` of the API): a jointure is unique within an
 * académie only. Undefined: any scope (several matches in several scopes are ambiguous).
 */
export type AafScope = string | undefined;

/** `select id from person …`: the ids of the persons in scope that `ref` names (at most 5). */
function candidates(scope: Scope, ref: AccountRef, aafScope: AafScope): RawBuilder<{ id: number }> {
  const value = ref.by === 'id' ? String(ref.id) : ref.value;
  const numeric = /^[0-9]{1,15}$/.test(value) ? Number(value) : null;
  const byId = ref.by === 'id' || (ref.by === 'any' && numeric !== null);
  const byJointure = ref.by === 'jointure' || ref.by === 'any';
  const byIdentifier = ref.by === 'identifier' || ref.by === 'any';
  const namespace = ref.by === 'identifier' ? ref.namespace : null;
  return sql<{ id: number }>`
    select c.id from person c where c.id in (
      -- the AAF id, in every académie scope: the key, or a qualified key of that id
      select id from person where ${byJointure} and jointure = ${value}
      union all
      select id from person where ${byJointure} and aaf_id = ${value} and jointure <> aaf_id
      union all
      -- a former jointure (the pupil was found again by its INE), unless someone holds it now
      select person_id from person_alias where ${byJointure} and jointure = ${value}
        and not exists (select 1 from person where jointure = ${value})
      union all
      select id from person where ${byId} and id = ${numeric ?? -1}
      union all
      select person_id from identifier
      where ${byIdentifier} and value = ${value}
        and (${namespace}::text is null or namespace = ${namespace}))
    and ${personInScope(scope, sql.ref('c.jointure'))}
    and (${aafScope ?? null}::text is null or c.scope = ${aafScope ?? null})
    order by c.id
    limit 5`;
}

/**
 * The persons in scope that `ref` names (at most 5; more than one means ambiguous).
 * Each way of naming uses its index (jointure, primary key, identifier value).
 */
export async function resolveAccount(
  db: Executor,
  scope: Scope,
  ref: AccountRef,
  aafScope?: AafScope,
): Promise<{ id: number; jointure: string; scope: string }[]> {
  const result = await sql<{ id: number; jointure: string; scope: string }>`
    select p.id, p.jointure, p.scope from person p where p.id in (${candidates(scope, ref, aafScope)})
    order by p.id
  `.execute(db);
  return result.rows.map((r) => ({ id: Number(r.id), jointure: r.jointure, scope: r.scope }));
}

/**
 * Everything the account status shows, in one statement: the person (all fields), its
 * establishments, classes and groups, teaching links, functions, relatives or pupils,
 * identifiers, the import and file that last changed it, its provisioning on each target
 * (through the index on `provisioning.person_id`) and what pedagogical servers reported after a
 * snapshot (`snapshot_report`). Lists that name an establishment are restricted to the scope.
 */
export async function findAccount(
  db: Executor,
  scope: Scope,
  personId: number,
): Promise<AccountRow | undefined> {
  const result = await accountQuery(scope, sql`p.id = ${personId}`).execute(db);
  return result.rows[0];
}

/**
 * The account `ref` names, resolved and read in one statement (the account status hot path):
 * `matches` is how many persons in scope the reference names (0: not found; more than 1:
 * ambiguous, and `row` is then undefined).
 */
export async function findAccountByRef(
  db: Executor,
  scope: Scope,
  ref: AccountRef,
  aafScope?: AafScope,
): Promise<{ matches: number; scopes: string[]; row: AccountRow | undefined }> {
  const result = await accountQuery(
    scope,
    sql`p.id in (${candidates(scope, ref, aafScope)})`,
  ).execute(db);
  const matches = result.rows.length;
  const scopes = [...new Set(result.rows.map((r) => r.scope))].sort();
  return { matches, scopes, row: matches === 1 ? result.rows[0] : undefined };
}

/**
 * An account as the API shows it. Persons and establishments it names show their AAF id
 * (`split_part(key, '@', 1)`, packages/db `aafIdOf`), never a qualified directory key; class and
 * group references keep the key (`structureJointure`: the class key the API takes back).
 */
function accountQuery(scope: Scope, where: RawBuilder<unknown>) {
  const inScope = (col: string) => structureInScope(scope, sql.ref(col));
  return sql<AccountRow>`${PREPARED}
    select p.id, p.jointure, p.aaf_id, p.scope, p.category, p.profile, p.level, p.given_name, p.sn, p.birth_name,
      p.birth_date, p.civility, p.ine, p.mail, p.primary_structure, p.details, p.state,
      p.departed_at, p.version, p.created_at, p.updated_at, p.has_account,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'jointure', split_part(ps.structure_jointure, '@', 1), 'uai', s.uai, 'name', s.name,
          'primary', ps.structure_jointure = p.primary_structure, 'since', ps.since)
          order by ps.structure_jointure = p.primary_structure desc, ps.structure_jointure), '[]')
        from person_structure ps left join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = p.jointure and ${inScope('ps.structure_jointure')}
      ) as establishments,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'kind', cg.kind, 'structureJointure', cg.structure_jointure, 'uai', s.uai,
          'code', cg.code, 'label', cg.label, 'state', cg.state, 'since', m.since)
          order by cg.kind, cg.structure_jointure, cg.code), '[]')
        from membership m join class_group cg on cg.id = m.class_group_id
          left join structure s on s.jointure = cg.structure_jointure
        where m.person_jointure = p.jointure and ${inScope('cg.structure_jointure')}
      ) as memberships,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'kind', tl.kind, 'structureJointure', tl.structure_jointure, 'code', tl.code,
          'subjectCode', tl.subject_code, 'classGroupState', cg.state)
          order by tl.structure_jointure, tl.kind, tl.code, tl.subject_code), '[]')
        from teaching_link tl left join class_group cg on cg.structure_jointure = tl.structure_jointure
          and cg.kind = tl.kind and cg.code = tl.code
        where tl.person_jointure = p.jointure and ${inScope('tl.structure_jointure')}
      ) as teaching,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'structureJointure', f.structure_jointure, 'code', f.code, 'label', f.label,
          'disciplineCode', f.discipline_code, 'disciplineLabel', f.discipline_label)
          order by f.structure_jointure, f.code, f.discipline_code), '[]')
        from person_function f
        where f.person_jointure = p.jointure and ${inScope('f.structure_jointure')}
      ) as functions,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'structureJointure', d.structure_jointure, 'uai', s.uai)
          order by d.structure_jointure), '[]')
        from direction d left join structure s on s.jointure = d.structure_jointure
        where d.person_jointure = p.jointure and ${inScope('d.structure_jointure')}
      ) as direction,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'jointure', split_part(rl.relative_jointure, '@', 1), 'givenName', r.given_name, 'sn', r.sn,
          'relationship', rl.relationship, 'legal', rl.legal, 'financial', rl.financial,
          'contact', rl.contact, 'payment', rl.payment, 'hasAccount', r.has_account)
          order by rl.relative_jointure), '[]')
        from relative_link rl left join person r on r.jointure = rl.relative_jointure
        where rl.pupil_jointure = p.jointure
      ) as relatives,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'jointure', split_part(rl.pupil_jointure, '@', 1), 'givenName', c.given_name, 'sn', c.sn,
          'relationship', rl.relationship, 'legal', rl.legal, 'financial', rl.financial,
          'contact', rl.contact, 'payment', rl.payment, 'hasAccount', c.has_account)
          order by rl.pupil_jointure), '[]')
        from relative_link rl join person c on c.jointure = rl.pupil_jointure
        where rl.relative_jointure = p.jointure and ${personInScope(scope, sql.ref('c.jointure'))}
      ) as pupils,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'namespace', i.namespace, 'value', i.value, 'status', i.status,
          'createdAt', i.created_at, 'retiredAt', i.retired_at)
          order by i.namespace, i.status <> 'primary', i.created_at), '[]')
        from identifier i where i.person_id = p.id
      ) as identifiers,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'jointure', split_part(a.jointure, '@', 1), 'reason', a.reason, 'importId', a.import_id,
          'since', a.created_at) order by a.created_at, a.jointure), '[]')
        from person_alias a where a.person_id = p.id
      ) as former_jointures,
      (select jsonb_build_object('id', r.id, 'kind', r.kind, 'scope', r.scope, 'level', r.level,
          'fileDate', r.file_date, 'deliveryName', r.delivery_name, 'status', r.status,
          'createdAt', r.created_at, 'finishedAt', r.finished_at)
        from import_run r where r.id = p.last_import_id
      ) as last_import,
      (select jsonb_build_object('id', f.id, 'name', f.name, 'entity', f.entity,
          'kind', f.kind, 'fileDate', f.file_date)
        from import_file f where f.id = p.last_file_id
      ) as last_file,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'target', t.name, 'kind', t.kind, 'targetState', t.state, 'status', r.status,
          'targetKey', r.target_key, 'present', r.present, 'desiredVersion', r.desired_version,
          'appliedVersion', r.applied_version, 'appliedAt', r.applied_at,
          'lastError', r.last_error, 'nextAttemptAt', r.next_attempt_at,
          'readBack', (select jsonb_build_object('samAccountName', kr.sam_account_name,
              'dn', kr.dn, 'homeDirectory', kr.home_directory, 'enabled', kr.enabled,
              'seenAt', kr.seen_at, 'missingRuns', kr.missing_runs,
              'missingSince', kr.missing_since)
            from koxo_readback kr where kr.target_id = t.id and kr.person_id = p.id)
          ) order by t.name), '[]')
        from provisioning r join target t on t.id = r.target_id
        where r.person_id = p.id and ${targetInScope(scope)}
      ) as provisioning,
      (select jsonb_build_object('since', b.since, 'until', b.until, 'why', b.why)
        from person_access_block(p.jointure, p.profile) b
        where p.state = 'active' and p.has_account
      ) as access_block,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'reporter', sr.reporter, 'uai', sr.uai, 'login', sr.login, 'homePath', sr.home_path,
          'status', sr.status, 'detail', sr.detail, 'reportedAt', sr.reported_at)
          order by sr.reporter, sr.uai), '[]')
        from snapshot_report sr
        where sr.person_jointure = p.jointure and ${uaiInScope(scope, sql.ref('sr.uai'))}
      ) as server_reports
    from person p
    where ${where} and ${personInScope(scope, sql.ref('p.jointure'))}
  `;
}
