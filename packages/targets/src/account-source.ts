import { sql, type Executor } from '@aaf-sync/db';
import type { Account } from './driver.js';

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
}

/**
 * The accounts of these persons as the directory holds them now (one statement). A person
 * without a primary identifier is not an account and is left out, like a missing person.
 */
export async function loadAccounts(
  db: Executor,
  personIds: readonly number[],
): Promise<Map<number, Account>> {
  if (personIds.length === 0) return new Map();
  const { rows } = await sql<AccountRow>`
    select p.id, p.jointure, p.state, p.category, p.profile, p.given_name, p.sn, p.mail,
      p.version,
      array(select distinct s.uai from person_structure ps
        join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = p.jointure and s.uai is not null order by s.uai) as uais,
      (select jsonb_object_agg(i.namespace, i.value) from identifier i
        where i.person_id = p.id and i.status = 'primary') as logins
    from person p
    where p.id = any(${sql.val([...personIds])}::bigint[]) and p.has_account
  `.execute(db);
  const accounts = new Map<number, Account>();
  for (const r of rows) {
    if (!r.logins) continue;
    accounts.set(Number(r.id), {
      id: Number(r.id),
      jointure: r.jointure,
      state: r.state,
      category: r.category,
      profile: r.profile,
      givenName: r.given_name,
      sn: r.sn,
      mail: r.mail,
      version: r.version,
      uais: r.uais,
      logins: r.logins,
    });
  }
  return accounts;
}
