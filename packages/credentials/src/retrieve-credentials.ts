import {
  insertAudit,
  sql,
  type CredentialReason,
  type CredentialState,
  type Database,
  type Kysely,
} from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import type { CredentialSheet, SheetClass, SheetEntry } from './credential-sheet.js';
import { CredentialsErrors } from './errors.js';
import { openPassword } from './sealed-password.js';

/** Who retrieves, for the audit row written in the same transaction. */
export interface AuditContext {
  /** `key:<id>` or `cli:<user>`. */
  readonly actor: string;
  readonly keyId?: string | null;
  readonly requestId?: string | null;
  readonly method?: string | null;
  readonly path?: string | null;
}

export interface RetrieveInput {
  readonly target: { id: number; name: string };
  readonly uai: string;
  readonly classCode?: string | null;
  /** Purge the clear copies once read (CREDENTIALS_PURGE_ON_RETRIEVAL). */
  readonly purge: boolean;
  /** Recorded in the audit row's details (`csv`, `html`). */
  readonly format?: string;
  readonly audit: AuditContext;
}

interface Row {
  person_id: number;
  login: string;
  reason: CredentialReason;
  state: CredentialState;
  key_id: string | null;
  ciphertext: Buffer | null;
  retrieved_at: Date | null;
  retrieved_by: string | null;
  purged_at: Date | null;
  sn: string;
  given_name: string;
  class_code: string | null;
  class_label: string | null;
  establishment: string;
}

function describe(uai: string, classCode: string | null | undefined): string {
  return classCode ? `establishment ${uai}, class ${classCode}` : `establishment ${uai}`;
}

/**
 * One retrieval of a credential sheet: the initial passwords of a target's accounts in an
 * establishment (optionally one class — the account's class in that establishment), opened,
 * grouped by class and sorted by name. Only passwords the target holds (`set`, or `retrieved`
 * when purge on retrieval is off) are listed. In one transaction, rows locked: the rows listed
 * become `purged` (clear copy erased) or `retrieved`, and an `audit_log` row
 * `credentials.retrieve` records who, target, UAI, class and count.
 * Nothing retrievable: CREDENTIALS_ERR_NOT_SET_YET (409) when some are still pending,
 * ALREADY_RETRIEVED (410) when they were purged, NONE (404) when none were ever issued.
 */
export async function retrieveCredentials(
  db: Kysely<Database>,
  box: SecretBox,
  input: RetrieveInput,
): Promise<CredentialSheet> {
  const what = describe(input.uai, input.classCode);
  return db.transaction().execute(async (trx) => {
    const result = await sql<Row>`
      select c.person_id, c.login, c.reason, c.state, c.key_id, c.ciphertext, c.retrieved_at,
        c.retrieved_by, c.purged_at, p.sn, p.given_name, cls.code as class_code,
        cls.label as class_label, s.name as establishment
      from credential c
      join person p on p.id = c.person_id
      join person_structure ps on ps.person_jointure = p.jointure
      join structure s on s.jointure = ps.structure_jointure and s.uai = ${input.uai}
      left join lateral (
        select cg.code, cg.label from membership m
        join class_group cg on cg.id = m.class_group_id
        where m.person_jointure = p.jointure and cg.kind = 'class'
          and cg.structure_jointure = s.jointure
        order by cg.code limit 1
      ) cls on true
      where c.target_id = ${input.target.id}
      order by cls.code nulls last, p.sn, p.given_name, c.person_id
      for update of c
    `.execute(trx);
    const rows = input.classCode
      ? result.rows.filter((r) => r.class_code === input.classCode)
      : result.rows;
    const ready = rows.filter((r) => r.state === 'set' || r.state === 'retrieved');
    const pending = rows.filter((r) => r.state === 'pending').length;
    if (ready.length === 0) {
      if (pending > 0) {
        throw CredentialsErrors.NOT_SET_YET({ target: input.target.name, what, pending });
      }
      const purged = rows.filter((r) => r.state === 'purged');
      if (purged.length > 0) {
        const last = purged
          .filter((r) => r.retrieved_at !== null)
          .sort((a, b) => +new Date(b.retrieved_at!) - +new Date(a.retrieved_at!))[0];
        throw CredentialsErrors.ALREADY_RETRIEVED({
          target: input.target.name,
          what,
          retrievedAt: last ? new Date(last.retrieved_at!).toISOString() : 'never retrieved',
          retrievedBy: last?.retrieved_by ?? 'the year-end purge',
        });
      }
      throw CredentialsErrors.NONE({ target: input.target.name, what });
    }

    const classes: SheetClass[] = [];
    let current: { code: string | null; label: string | null; entries: SheetEntry[] } | null = null;
    for (const r of ready) {
      if (!current || current.code !== r.class_code) {
        current = { code: r.class_code, label: r.class_label, entries: [] };
        classes.push(current);
      }
      const personId = Number(r.person_id);
      current.entries.push({
        personId,
        sn: r.sn,
        givenName: r.given_name,
        login: r.login,
        reason: r.reason,
        password: openPassword(box, {
          targetId: input.target.id,
          targetName: input.target.name,
          personId,
          sealed: { keyId: r.key_id!, ciphertext: r.ciphertext! },
        }),
      });
    }

    const ids = ready.map((r) => Number(r.person_id));
    const retrieved = await trx
      .updateTable('credential')
      .set(
        input.purge
          ? {
              state: 'purged',
              key_id: null,
              ciphertext: null,
              purged_at: sql`now()`,
              retrieved_at: sql`now()`,
              retrieved_by: input.audit.actor,
            }
          : { state: 'retrieved', retrieved_at: sql`now()`, retrieved_by: input.audit.actor },
      )
      .where('target_id', '=', input.target.id)
      .where('person_id', 'in', ids)
      .returning('retrieved_at')
      .executeTakeFirstOrThrow();
    await insertAudit(trx, {
      actor: input.audit.actor,
      key_id: input.audit.keyId ?? null,
      request_id: input.audit.requestId ?? null,
      action: 'credentials.retrieve',
      method: input.audit.method ?? null,
      path: input.audit.path ?? null,
      status: 200,
      uais: [input.uai],
      details: {
        target: input.target.name,
        uai: input.uai,
        class: input.classCode ?? null,
        count: ready.length,
        pending,
        purged: input.purge,
        ...(input.format ? { format: input.format } : {}),
      },
    });
    return {
      target: input.target.name,
      uai: input.uai,
      establishment: ready[0]!.establishment,
      classCode: input.classCode ?? null,
      classes,
      count: ready.length,
      pending,
      purged: input.purge,
      retrievedAt: new Date(retrieved.retrieved_at!),
    };
  });
}
