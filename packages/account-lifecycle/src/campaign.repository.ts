import {
  sql,
  type CampaignApproval,
  type CampaignKindName,
  type CampaignRow,
  type CampaignState,
  type Executor,
} from '@aaf-sync/db';
import { LifecycleErrors } from './errors.js';

/** A stored campaign. */
export interface CampaignRecord {
  readonly id: number;
  readonly schoolYear: string;
  readonly name: string;
  readonly kind: CampaignKindName;
  readonly targetKind: string;
  readonly targetName: string | null;
  readonly approval: CampaignApproval;
  readonly previewAt: Date;
  readonly runAt: Date;
  readonly state: CampaignState;
  readonly previewedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** A `campaign` row as the database returns it (the table type of packages/db). */
type CampaignDbRow = CampaignRow;

export function toCampaign(r: CampaignDbRow): CampaignRecord {
  return {
    id: Number(r.id),
    schoolYear: r.school_year,
    name: r.name,
    kind: r.kind,
    targetKind: r.target_kind,
    targetName: r.target_name,
    approval: r.approval,
    previewAt: new Date(r.preview_at),
    runAt: new Date(r.run_at),
    state: r.state,
    previewedAt: new Date(r.previewed_at),
    startedAt: r.started_at ? new Date(r.started_at) : null,
    finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

export async function findCampaign(db: Executor, id: number): Promise<CampaignRecord | null> {
  const { rows } = await sql<CampaignDbRow>`select * from campaign where id = ${id}`.execute(db);
  return rows[0] ? toCampaign(rows[0]) : null;
}

export async function findCampaignByName(
  db: Executor,
  schoolYear: string,
  name: string,
): Promise<CampaignRecord | null> {
  const { rows } = await sql<CampaignDbRow>`
    select * from campaign where school_year = ${schoolYear} and name = ${name}`.execute(db);
  return rows[0] ? toCampaign(rows[0]) : null;
}

/** The campaign, or LIFECYCLE_ERR_CAMPAIGN_NOT_FOUND. */
export async function requireCampaign(db: Executor, id: number): Promise<CampaignRecord> {
  const c = await findCampaign(db, id);
  if (!c) throw LifecycleErrors.CAMPAIGN_NOT_FOUND({ id });
  return c;
}

/** Every campaign, newest school year first, then by run date. */
export async function listCampaignRecords(db: Executor): Promise<CampaignRecord[]> {
  const { rows } = await sql<CampaignDbRow>`
    select * from campaign order by school_year desc, run_at, name`.execute(db);
  return rows.map(toCampaign);
}
