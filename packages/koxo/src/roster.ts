import { sql, type Executor } from '@aaf-sync/db';
import type { KoxoPopulation } from './columns.js';

/** What the directory holds about one account of an establishment, for its KoXo row. */
export interface RosterEntry {
  readonly personId: number;
  readonly jointure: string;
  readonly population: KoxoPopulation;
  readonly civility: string | null;
  readonly givenName: string;
  readonly sn: string;
  /** YYYY-MM-DD */
  readonly birthDate: string | null;
  readonly mail: string | null;
  /** The primary `koxo` identifier, null when the account has none. */
  readonly login: string | null;
  /** Class codes in this establishment (pupils). */
  readonly classes: readonly string[];
  /** Group codes in this establishment (pupils: options, language groups…). */
  readonly groups: readonly string[];
  /** Teaching links in this establishment: `class:<code>` / `group:<code>` (teachers). */
  readonly teaching: readonly string[];
  /** First function in this establishment (label, discipline label), staff and teachers. */
  readonly functionLabel: string | null;
  readonly discipline: string | null;
}

interface Row {
  id: string | number;
  jointure: string;
  profile: KoxoPopulation;
  civility: string | null;
  given_name: string;
  sn: string;
  birth_date: string | null;
  mail: string | null;
  login: string | null;
  classes: string[];
  groups: string[];
  teaching: string[];
  function_label: string | null;
  discipline: string | null;
}

/**
 * Every active account of the establishment `uai` (persons attached to it; relatives through an
 * active pupil attached to it), one statement. Departed persons and relatives without an account
 * are left out: a KoXo file lists exactly who should hold an account.
 */
export async function loadRoster(db: Executor, uai: string): Promise<RosterEntry[]> {
  const { rows } = await sql<Row>`
    with st as (select jointure from structure where uai = ${uai})
    select p.id, p.jointure, p.profile, p.civility, p.given_name, p.sn,
      to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.mail,
      (select i.value from identifier i
        where i.person_id = p.id and i.namespace = 'koxo' and i.status = 'primary'
        order by i.id limit 1) as login,
      array(select cg.code from membership m join class_group cg on cg.id = m.class_group_id
        where m.person_jointure = p.jointure and cg.kind = 'class'
          and cg.structure_jointure in (select jointure from st) order by cg.code) as classes,
      array(select cg.code from membership m join class_group cg on cg.id = m.class_group_id
        where m.person_jointure = p.jointure and cg.kind = 'group'
          and cg.structure_jointure in (select jointure from st) order by cg.code) as groups,
      array(select distinct tl.kind || ':' || tl.code from teaching_link tl
        where tl.person_jointure = p.jointure
          and tl.structure_jointure in (select jointure from st) order by 1) as teaching,
      (select nullif(pf.label, '') from person_function pf
        where pf.person_jointure = p.jointure
          and pf.structure_jointure in (select jointure from st)
        order by pf.code, pf.discipline_code limit 1) as function_label,
      (select nullif(pf.discipline_label, '') from person_function pf
        where pf.person_jointure = p.jointure
          and pf.structure_jointure in (select jointure from st)
        order by pf.code, pf.discipline_code limit 1) as discipline
    from person p
    where p.has_account and p.state = 'active'
      and (
        exists (select 1 from person_structure ps
          where ps.person_jointure = p.jointure
            and ps.structure_jointure in (select jointure from st))
        or (p.category = 'relative' and exists (
          select 1 from relative_link rl
            join person c on c.jointure = rl.pupil_jointure and c.state = 'active'
            join person_structure ps on ps.person_jointure = c.jointure
          where rl.relative_jointure = p.jointure
            and ps.structure_jointure in (select jointure from st)))
      )
    order by p.jointure
  `.execute(db);
  return rows.map((r) => ({
    personId: Number(r.id),
    jointure: r.jointure,
    population: r.profile,
    civility: r.civility,
    givenName: r.given_name,
    sn: r.sn,
    birthDate: r.birth_date,
    mail: r.mail,
    login: r.login,
    classes: r.classes,
    groups: r.groups,
    teaching: r.teaching,
    functionLabel: r.function_label,
    discipline: r.discipline,
  }));
}
