import { insertAudit, sql, type Database, type Kysely, type TargetKind } from '@aaf-sync/db';
import { CHANGE_EVENT_CHANNEL, type SecretBox } from '@aaf-sync/targets';
import { issueCredential } from './credential-store.js';
import { CredentialsErrors } from './errors.js';
import { PASSWORD_TARGETS } from './password-targets.js';
import type { AuditContext } from './retrieve-credentials.js';

export interface ResetInput {
  readonly personId: number;
  /** How the caller named the account (error messages). */
  readonly account: string;
  readonly length?: number;
  readonly audit: AuditContext;
}

/** Where a reset's new password will be set, and the sheet that will carry it. */
export interface ResetTarget {
  readonly target: string;
  readonly kind: TargetKind;
  readonly login: string;
  /** The establishment and class of the account on the sheet (class null: none). */
  readonly uai: string;
  readonly classCode: string | null;
}

interface Candidate {
  id: number;
  name: string;
  kind: TargetKind;
  uais: string[];
  login: string | null;
  target_key: string | null;
}

/**
 * A new initial password for one account (same rules as at creation), on every password-capable
 * target that holds the account or is about to create it: stored `pending` (sealed), the
 * account's provisioning row set pending (desired_version + 1) so that the targets process sets
 * it — never this process — and a NOTIFY wakes it. One transaction, with an `audit_log` row
 * `accounts.password-reset`. CREDENTIALS_ERR_NO_PASSWORD_TARGET when no target qualifies.
 */
export async function resetPassword(
  db: Kysely<Database>,
  box: SecretBox,
  input: ResetInput,
): Promise<ResetTarget[]> {
  const kinds = Object.keys(PASSWORD_TARGETS) as TargetKind[];
  return db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('person')
      .select(['jointure'])
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw CredentialsErrors.NO_PASSWORD_TARGET({ account: input.account });
    const placed = await sql<{ uai: string; class_code: string | null }>`
      select s.uai, (
        select cg.code from membership m join class_group cg on cg.id = m.class_group_id
        where m.person_jointure = ps.person_jointure and cg.kind = 'class'
          and cg.structure_jointure = s.jointure
        order by cg.code limit 1
      ) as class_code
      from person_structure ps join structure s on s.jointure = ps.structure_jointure
      where ps.person_jointure = ${person.jointure} and s.uai is not null
      order by s.uai
    `.execute(trx);
    const uais = placed.rows.map((r) => r.uai);
    const candidates = await sql<Candidate>`
      select t.id, t.name, t.kind, t.uais, i.value as login, r.target_key
      from target t
      join provisioning r on r.target_id = t.id and r.person_id = ${input.personId}
      left join identifier i on i.person_id = r.person_id and i.status = 'primary'
        and i.namespace = case t.kind ${sql.join(
          kinds.map((k) => sql`when ${k} then ${PASSWORD_TARGETS[k]!.namespace}`),
          sql` `,
        )} end
      where t.state = 'active' and t.kind = any(${sql.val(kinds)}::text[])
        and t.uais && ${sql.val(uais)}::text[]
        and (r.present or r.status in ('pending', 'failed'))
      order by t.name
      for update of r
    `.execute(trx);
    const usable = candidates.rows.filter((c) => c.login !== null);
    if (usable.length === 0) throw CredentialsErrors.NO_PASSWORD_TARGET({ account: input.account });
    const out: ResetTarget[] = [];
    for (const c of usable) {
      const targetId = Number(c.id);
      await issueCredential(trx, box, {
        targetId,
        personId: input.personId,
        login: c.login!,
        reason: 'reset',
        actor: input.audit.actor,
        ...(input.length !== undefined ? { length: input.length } : {}),
      });
      const where = placed.rows.find((p) => c.uais.includes(p.uai))!;
      out.push({
        target: c.name,
        kind: c.kind,
        login: c.login!,
        uai: where.uai,
        classCode: where.class_code,
      });
    }
    await sql`
      update provisioning set desired_version = desired_version + 1, status = 'pending',
        attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
      where person_id = ${input.personId}
        and target_id = any(${sql.val(usable.map((c) => Number(c.id)))}::bigint[])
    `.execute(trx);
    await sql`select pg_notify(${CHANGE_EVENT_CHANNEL}, '')`.execute(trx);
    await insertAudit(trx, {
      actor: input.audit.actor,
      key_id: input.audit.keyId ?? null,
      request_id: input.audit.requestId ?? null,
      action: 'accounts.password-reset',
      method: input.audit.method ?? null,
      path: input.audit.path ?? null,
      status: 202,
      uais: [...new Set(out.map((o) => o.uai))],
      details: { personId: input.personId, targets: out.map((o) => o.target) },
    });
    return out;
  });
}
