import { sql, type Executor } from '@aaf-sync/db';
import { joinPerson, personAccessFor, runFor } from './establishment-persons.js';
import { normalizedSql } from './search-text.js';

/** Keys of `person.details.contact` read as phone numbers (a string or an array of strings). */
export const CONTACT_PHONE_KEYS: readonly string[] = [
  'homePhone',
  'workPhone',
  'mobile',
  'mobiles',
  'mobileSms',
  'smsMobile',
  'phone',
  'telephoneNumber',
];

export type DuplicateEvidence = 'mail' | 'phone' | 'address';

export interface RelativeSummary {
  readonly jointure: string;
  readonly givenName: string;
  readonly sn: string;
  /** This relative's pupils in the establishment of the report. */
  readonly pupils: string[];
}

export interface DuplicateRelativePairRow {
  a: RelativeSummary;
  b: RelativeSummary;
  evidence: DuplicateEvidence[];
}

/**
 * Pairs of relatives of an establishment that are likely one person recorded twice in SIECLE:
 * the same normalised name and given name, and the same mail, phone (last 9 digits) or postal
 * address, under different jointures. Relatives of the establishment are those attached to it or
 * linked to one of its pupils. Contact values are read from `person.mail` and
 * `person.details.contact` (phones under CONTACT_PHONE_KEYS; the string values of `address`,
 * `postalCode` and `city`). Used by the API report and by the import report.
 */
/**
 * The `evidence (jointure, name_key, kind, value[, s])` rows of the relatives in the CTE `rel`
 * (`jointure, name_key, mail, contact[, s]`): what two records of one person share.
 */
function evidenceCte(extra: string) {
  const phoneKeys = [...CONTACT_PHONE_KEYS];
  const x = sql.raw(extra ? `, ${extra}` : '');
  return sql`
    evidence as (
      select jointure, name_key, 'mail' as kind, lower(trim(mail)) as value ${x}
      from rel where coalesce(trim(mail), '') <> ''
      union
      select r.jointure, r.name_key, 'phone', right(regexp_replace(ph, '\\D', '', 'g'), 9) ${x}
      from rel r
        cross join lateral jsonb_each(r.contact) as e(k, v)
        cross join lateral jsonb_array_elements_text(
          case jsonb_typeof(e.v) when 'array' then e.v else jsonb_build_array(e.v) end) as ph
      where e.k = any(${phoneKeys}::text[]) and jsonb_typeof(e.v) in ('array', 'string', 'number')
        and length(regexp_replace(ph, '\\D', '', 'g')) >= 9
      union
      select r.jointure, r.name_key, 'address', a.value ${x}
      from rel r cross join lateral (
        select ${normalizedSql(sql`string_agg(x.v #>> '{}', ' ' order by x.n)`)} as value
        from jsonb_path_query(
          jsonb_build_array(r.contact -> 'address', r.contact -> 'postalCode', r.contact -> 'city'),
          'strict $.** ? (@.type() == "string")') with ordinality as x(v, n)
      ) a
      where length(a.value) >= 6
    )`;
}

/** `details.contact` of a person row when it is an object, else `{}`. */
const contactOf = (details: string) => {
  const d = sql.ref(details);
  return sql`case when jsonb_typeof(${d} -> 'contact') = 'object' then ${d} -> 'contact' else '{}'::jsonb end`;
};
const nameKeyOf = sql`${normalizedSql(sql.ref('p.sn'))} || ' ' || ${normalizedSql(sql.ref('p.given_name'))}`;

/**
 * How many likely-duplicate pairs each of these establishments has (same rules as
 * findDuplicateRelatives, over the relatives attached to the establishments): one set-based
 * statement for the whole import report, reading only the persons of these establishments.
 */
export async function countDuplicateRelatives(
  db: Executor,
  structureJointures: readonly string[],
): Promise<Map<string, number>> {
  if (structureJointures.length === 0) return new Map();
  const access = await personAccessFor(db, structureJointures);
  const relative = joinPerson(access, 'p', 'ps.person_jointure', sql`p.category = 'relative'`, [
    'jointure',
    'mail',
    'details',
    'sn',
    'given_name',
  ]);
  const { rows } = await runFor(access, db, (db) =>
    sql<{ s: string; n: number }>`
    with named as (
      select p.jointure, ps.structure_jointure as s, p.mail, p.details, ${nameKeyOf} as name_key
      from person_structure ps ${relative}
      where ps.structure_jointure = any(${[...structureJointures]}::text[])
    ),
    -- only homonyms can be duplicates: the contact evidence is read for them alone
    rel as (
      select h.jointure, h.s, h.mail, h.name_key, ${contactOf('h.details')} as contact
      from (select n.*, count(*) over (partition by n.s, n.name_key) as homonyms from named n) h
      where h.homonyms > 1
    ),
    ${evidenceCte('s')}
    select x.s, count(distinct (x.jointure, y.jointure))::int as n
    from evidence x
    join evidence y on y.s = x.s and y.name_key = x.name_key and y.kind = x.kind
      and y.value = x.value and x.jointure < y.jointure
    group by x.s`.execute(db),
  );
  return new Map(rows.map((r) => [r.s, r.n]));
}

export async function findDuplicateRelatives(
  db: Executor,
  structureJointure: string,
): Promise<DuplicateRelativePairRow[]> {
  const result = await sql<DuplicateRelativePairRow>`
    with pupils as (
      select ps.person_jointure from person_structure ps
      join person p on p.jointure = ps.person_jointure and p.category = 'pupil'
      where ps.structure_jointure = ${structureJointure}
    ),
    rel as (
      select p.jointure, p.given_name, p.sn, p.mail,
        ${contactOf('p.details')} as contact, ${nameKeyOf} as name_key
      from person p
      where p.category = 'relative' and p.jointure in (
        select ps.person_jointure from person_structure ps
        where ps.structure_jointure = ${structureJointure}
        union
        select rl.relative_jointure from relative_link rl
        where rl.pupil_jointure in (select person_jointure from pupils))
    ),
    ${evidenceCte('')},
    pairs as (
      select x.jointure as a, y.jointure as b, array_agg(distinct x.kind order by x.kind) as evidence
      from evidence x
      join evidence y on y.name_key = x.name_key and y.kind = x.kind and y.value = x.value
        and x.jointure < y.jointure
      group by x.jointure, y.jointure
    ),
    summary as (
      select r.jointure, jsonb_build_object(
        'jointure', r.jointure, 'givenName', r.given_name, 'sn', r.sn,
        'pupils', (select coalesce(jsonb_agg(rl.pupil_jointure order by rl.pupil_jointure), '[]')
          from relative_link rl
          where rl.relative_jointure = r.jointure
            and rl.pupil_jointure in (select person_jointure from pupils))) as s
      from rel r
    )
    select sa.s as a, sb.s as b, pairs.evidence
    from pairs join summary sa on sa.jointure = pairs.a join summary sb on sb.jointure = pairs.b
    order by pairs.a, pairs.b
  `.execute(db);
  return result.rows;
}
