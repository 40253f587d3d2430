import type {
  AccessBlockTable,
  CampaignApprovalTable,
  CampaignItemTable,
  CampaignTable,
  GroupPurgeTable,
} from './tables/account-lifecycle.table.js';
import type { ApiKeyTable, AuditLogTable, ChangeEventPurgeTable } from './tables/api.table.js';
import type {
  CalendarBlockingOverrideTable,
  CalendarVersionTable,
} from './tables/calendar.table.js';
import type { ChangeEventTable } from './tables/change-event.table.js';
import type {
  CalendarTransitionTable,
  NoticeReadTable,
  NoticeTable,
} from './tables/scheduler.table.js';
import type { CredentialTable } from './tables/credential.table.js';
import type {
  ClassGroupTable,
  DirectionTable,
  HeadTeacherTable,
  MefTable,
  MembershipTable,
  PersonFunctionTable,
  PersonAliasTable,
  PersonStructureTable,
  PersonTable,
  RelativeLinkTable,
  StructureTable,
  SubjectTable,
  TeachingLinkTable,
} from './tables/directory.table.js';
import type { ProvisioningTable, TargetConsumerTable, TargetTable } from './tables/target.table.js';
import type {
  SnapshotReportTable,
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookHealthTable,
} from './tables/webhook.table.js';
import type { KoxoAccountTable, KoxoFileTable, KoxoSnapshotTable } from './tables/koxo.table.js';
import type { ManagedGroupPersonTable, ManagedGroupTable } from './tables/managed-group.table.js';
import type { YearTransitionTable } from './tables/year-transition.table.js';
import type { KoxoReadBackRunTable, KoxoReadBackTable } from './tables/koxo-readback.table.js';
import type { IdentifierCounterTable, IdentifierTable } from './tables/identifier.table.js';
import type {
  ImportFileTable,
  ImportDecisionTable,
  ImportPlanItemTable,
  ImportPlanTable,
  ImportRejectTable,
  ImportRunTable,
  ImportWarningTable,
  RelativeAccountCodesTable,
} from './tables/import.table.js';

/** Every table of the schema, as kysely sees it. Migrations in ./migrations create them. */
export interface Database {
  import_run: ImportRunTable;
  import_file: ImportFileTable;
  import_reject: ImportRejectTable;
  import_warning: ImportWarningTable;
  relative_account_codes: RelativeAccountCodesTable;
  import_plan: ImportPlanTable;
  import_plan_item: ImportPlanItemTable;
  import_decision: ImportDecisionTable;
  structure: StructureTable;
  subject: SubjectTable;
  mef: MefTable;
  person: PersonTable;
  person_alias: PersonAliasTable;
  person_structure: PersonStructureTable;
  class_group: ClassGroupTable;
  membership: MembershipTable;
  relative_link: RelativeLinkTable;
  teaching_link: TeachingLinkTable;
  head_teacher: HeadTeacherTable;
  person_function: PersonFunctionTable;
  direction: DirectionTable;
  change_event: ChangeEventTable;
  identifier: IdentifierTable;
  identifier_counter: IdentifierCounterTable;
  api_key: ApiKeyTable;
  audit_log: AuditLogTable;
  change_event_purge: ChangeEventPurgeTable;
  target: TargetTable;
  target_consumer: TargetConsumerTable;
  provisioning: ProvisioningTable;
  credential: CredentialTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
  webhook_health: WebhookHealthTable;
  snapshot_report: SnapshotReportTable;
  calendar_version: CalendarVersionTable;
  calendar_blocking_override: CalendarBlockingOverrideTable;
  access_block: AccessBlockTable;
  campaign: CampaignTable;
  campaign_item: CampaignItemTable;
  campaign_approval: CampaignApprovalTable;
  group_purge: GroupPurgeTable;
  koxo_snapshot: KoxoSnapshotTable;
  koxo_file: KoxoFileTable;
  koxo_account: KoxoAccountTable;
  managed_group: ManagedGroupTable;
  managed_group_manager: ManagedGroupPersonTable;
  managed_group_member: ManagedGroupPersonTable;
  year_transition: YearTransitionTable;
  koxo_readback_run: KoxoReadBackRunTable;
  koxo_readback: KoxoReadBackTable;
  calendar_transition: CalendarTransitionTable;
  notice: NoticeTable;
  notice_read: NoticeReadTable;
}
