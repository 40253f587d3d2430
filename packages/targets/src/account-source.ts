import { aafIdOf, sql, withoutJit, type Executor } from '@aaf-sync/db';
import type {
  Account,
  AccountChild,
  AccountMef,
  AccountSubject,
  ClassRef,
  MembershipRef,
} from './driver.js';

interface AccountRow {
  id: number;
  jointure: string;
  state: Account['state'];
  category: Account['category'];
  profile: Account['profile'];
  given_name: string;
  sn: string;
  mail: string | null;
  version: number;
  uais: string[];
  logins: Record<string, string>;
  birth_date: string | null;
  civility: string | null;
  ine: string | null;
  memberships: (ClassRef & { classGroupId: number })[] | null;
  teaching: ClassRef[] | null;
  children: AccountChild[] | null;
  blocked_until: Date | null;
  blocked_why: string | null;
  mef: AccountMef | null;
  school_id: string | null;
  subjects: AccountSubject[] | null;
  head_of: ClassRef[] | null;
}

/** Legal responsibility codes that give a relative an account (as migration 0007). */
const LEGAL = sql`(rl.legal is null or rl.legal in (1, 2))`;

/**
 * The accounts of these persons as the directory holds them now (one statement): the person,
 * its establishments and primary logins, classes and groups (member of, or taught while they
 * have pupils), for a relative the active pupils it is legally responsible for, and whether the
 * rentrée blocking holds it now (SQL function `person_access_block`, migration 0022). A person
 * without a primary identifier is not an account and is left out, like a missing person.
 * Run without JIT compilation (packages/db `withoutJit`: ~190 functions compiled otherwise).
 */
export async function loadAccounts(
  db: Executor,
  personIds: readonly number[],
): Promise<Map<number, Account>> {
  if (personIds.length === 0) return new Map();
  const [rows, levels] = await withoutJit(db, async (trx) => {
    const { rows } = await accountRows(trx, personIds);
    const classes = rows.flatMap((r) => (r.memberships ?? []).filter((m) => m.kind === 'class'));
    return [rows, await classLevels(trx, classes)] as const;
  });
  return toAccounts(rows, levels);
}

function accountRows(db: Executor, personIds: readonly number[]) {
  return sql<AccountRow>`
    select p.id, p.jointure, p.state, p.category, p.profile, p.given_name, p.sn, p.mail,
      p.version,
      array(select distinct s.uai from person_structure ps
        join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = p.jointure and s.uai is not null order by s.uai) as uais,
      (select jsonb_object_agg(i.namespace, i.value) from identifier i
        where i.person_id = p.id and i.status = 'primary') as logins,
      to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.civility, p.ine,
      (select json_agg(json_build_object('uai', s.uai, 'kind', cg.kind, 'code', cg.code,
          'classGroupId', cg.id) order by s.uai, cg.kind, cg.code)
        from membership m join class_group cg on cg.id = m.class_group_id
        join structure s on s.jointure = cg.structure_jointure
        where m.person_jointure = p.jointure and s.uai is not null) as memberships,
      (select json_agg(distinct jsonb_build_object('uai', s.uai, 'kind', tl.kind, 'code', tl.code))
        from teaching_link tl join structure s on s.jointure = tl.structure_jointure
        join class_group cg on cg.structure_jointure = tl.structure_jointure
          and cg.kind = tl.kind and cg.code = tl.code and cg.state = 'active'
        where tl.person_jointure = p.jointure and s.uai is not null) as teaching,
      (select json_agg(json_build_object(
          'jointure', pu.aaf_id,
          'uais', array(select distinct s.uai from person_structure ps
            join structure s on s.jointure = ps.structure_jointure
            where ps.person_jointure = pu.jointure and s.uai is not null order by s.uai),
          'logins', (select jsonb_object_agg(i.namespace, i.value) from identifier i
            where i.person_id = pu.id and i.status = 'primary')) order by pu.jointure)
        from relative_link rl join person pu on pu.jointure = rl.pupil_jointure
        where rl.relative_jointure = p.jointure and pu.state = 'active' and pu.has_account
          and ${LEGAL}
          and exists (select 1 from identifier i where i.person_id = pu.id and i.status = 'primary')
      ) as children,
      (select json_build_object('code', x.code,
          'label', coalesce(nullif(mf.label, ''), nullif(x.label, ''), x.code))
        from (select p.details->'schooling'->>'mef' as code,
          p.details->'schooling'->>'mefLabel' as label) x
        left join mef mf on mf.code = x.code
        where x.code is not null and x.code <> '') as mef,
      nullif(p.details->'schooling'->>'attachmentId', '') as school_id,
      (select json_agg(distinct jsonb_build_object('uai', s.uai, 'code', tl.subject_code,
          'label', coalesce(nullif(su.label, ''), tl.subject_code)))
        from teaching_link tl join structure s on s.jointure = tl.structure_jointure
        join class_group cg on cg.structure_jointure = tl.structure_jointure
          and cg.kind = tl.kind and cg.code = tl.code and cg.state = 'active'
        left join subject su on su.code = tl.subject_code
        where tl.person_jointure = p.jointure and tl.subject_code <> ''
          and s.uai is not null) as subjects,
      (select json_agg(json_build_object('uai', s.uai, 'kind', 'class', 'code', ht.class_code)
          order by s.uai, ht.class_code)
        from head_teacher ht join structure s on s.jointure = ht.structure_jointure
        where ht.person_jointure = p.jointure and s.uai is not null) as head_of,
      b.until as blocked_until, b.why as blocked_why
    from person p
    left join lateral person_access_block(p.jointure, p.profile) b on true
    where p.id = any(${sql.val([...personIds])}::bigint[]) and p.has_account
  `.execute(db);
}

function toAccounts(
  rows: readonly AccountRow[],
  levels: ReadonlyMap<number, AccountMef>,
): Map<number, Account> {
  const accounts = new Map<number, Account>();
  for (const r of rows) {
    if (!r.logins) continue;
    accounts.set(Number(r.id), {
      id: Number(r.id),
      // the AAF id (a target never sees a qualified directory key)
      jointure: aafIdOf(r.jointure),
      state: r.state,
      category: r.category,
      profile: r.profile,
      givenName: r.given_name,
      sn: r.sn,
      mail: r.mail,
      version: r.version,
      uais: r.uais,
      logins: r.logins,
      birthDate: r.birth_date,
      civility: r.civility,
      ine: r.ine,
      memberships: (r.memberships ?? []).map(({ classGroupId, ...m }): MembershipRef => {
        const classMef = levels.get(classGroupId);
        return classMef ? { ...m, classMef } : m;
      }),
      teaching: (r.teaching ?? []).sort(
        (a, b) =>
          a.uai.localeCompare(b.uai) ||
          a.kind.localeCompare(b.kind) ||
          a.code.localeCompare(b.code),
      ),
      children: r.children ?? [],
      access: {
        blocked: r.blocked_until !== null,
        until: r.blocked_until === null ? null : new Date(r.blocked_until),
        why: r.blocked_why,
      },
      mef: r.mef,
      schoolId: r.school_id,
      subjects: (r.subjects ?? []).sort(
        (a, b) => a.uai.localeCompare(b.uai) || a.code.localeCompare(b.code),
      ),
      headOf: r.head_of ?? [],
    });
  }
  return accounts;
}

/**
 * The level of each class (one statement for the batch): the MEF most of its active pupils
 * have, ties to the smallest code, labelled like a pupil's own MEF.
 */
async function classLevels(
  db: Executor,
  classes: readonly { classGroupId: number }[],
): Promise<Map<number, AccountMef>> {
  const ids = [...new Set(classes.map((c) => Number(c.classGroupId)))];
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ class_group_id: string; code: string; label: string }>`
    select distinct on (x.class_group_id) x.class_group_id, x.code,
      coalesce(nullif(mf.label, ''), nullif(x.label, ''), x.code) as label
    from (select m.class_group_id, p.details->'schooling'->>'mef' as code,
        min(p.details->'schooling'->>'mefLabel') as label, count(*) as pupils
      from membership m join person p on p.jointure = m.person_jointure
      where m.class_group_id = any(${sql.val(ids)}::bigint[]) and p.state = 'active'
        and coalesce(p.details->'schooling'->>'mef', '') <> ''
      group by 1, 2) x
    left join mef mf on mf.code = x.code
    order by x.class_group_id, x.pupils desc, x.code
  `.execute(db);
  return new Map(rows.map((r) => [Number(r.class_group_id), { code: r.code, label: r.label }]));
}
