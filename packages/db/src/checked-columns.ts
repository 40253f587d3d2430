import {
  ACCESS_BLOCK_SOURCES,
  CAMPAIGN_APPROVALS,
  CAMPAIGN_ITEM_STATUSES,
  CAMPAIGN_KIND_VALUES,
  CAMPAIGN_STATES,
  GROUP_PURGE_STATUSES,
} from './tables/account-lifecycle.table.js';
import { EVENT_ENTITIES, EVENT_OPS } from './tables/change-event.table.js';
import { CREDENTIAL_REASONS, CREDENTIAL_STATES } from './tables/credential.table.js';
import {
  CLASS_GROUP_KINDS,
  CLASS_GROUP_STATES,
  LEVELS,
  PERSON_ALIAS_REASONS,
  PERSON_CATEGORIES,
  PERSON_STATES,
  PROFILES,
} from './tables/directory.table.js';
import { IDENTIFIER_STATUSES } from './tables/identifier.table.js';
import {
  DECISION_KINDS,
  DECISION_STATUSES,
  IMPORT_FILE_STATUSES,
  IMPORT_KINDS,
  IMPORT_STATUSES,
  PLAN_ACTIONS,
  PLAN_STATUSES,
} from './tables/import.table.js';
import {
  POSIX_KINDS,
  PROVISIONING_STATUSES,
  TARGET_KINDS,
  TARGET_STATES,
} from './tables/target.table.js';
import { KOXO_SNAPSHOT_STATUSES } from './tables/koxo.table.js';
import { GROUP_LIFETIMES, GROUP_SOURCES } from './tables/managed-group.table.js';
import { KOXO_READBACK_RUN_STATUSES } from './tables/koxo-readback.table.js';
import { WEBHOOK_DELIVERY_STATUSES } from './tables/webhook.table.js';

/**
 * Every column the schema restricts to a list of values (`check (col in (…))`), with the
 * TypeScript constant that declares the list. The types, the zod schemas and the OpenAPI
 * document derive from these constants; a test compares them with the database's CHECK
 * constraints, so a migration and the code cannot drift apart.
 */
export const CHECKED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'import_run.kind': IMPORT_KINDS,
  'import_run.level': LEVELS,
  'import_run.status': IMPORT_STATUSES,
  'import_file.status': IMPORT_FILE_STATUSES,
  'import_plan.status': PLAN_STATUSES,
  'import_plan_item.action': PLAN_ACTIONS,
  'import_decision.decision': DECISION_KINDS,
  'import_decision.status': DECISION_STATUSES,
  'structure.level': LEVELS,
  'person.category': PERSON_CATEGORIES,
  'person.level': LEVELS,
  'person.profile': PROFILES,
  'person.state': PERSON_STATES,
  'person_alias.reason': PERSON_ALIAS_REASONS,
  'class_group.kind': CLASS_GROUP_KINDS,
  'class_group.state': CLASS_GROUP_STATES,
  'teaching_link.kind': CLASS_GROUP_KINDS,
  'change_event.op': EVENT_OPS,
  'change_event.entity_type': EVENT_ENTITIES,
  'identifier.status': IDENTIFIER_STATUSES,
  'target.kind': TARGET_KINDS,
  'target.state': TARGET_STATES,
  'provisioning.status': PROVISIONING_STATUSES,
  'posix_id.kind': POSIX_KINDS,
  'credential.reason': CREDENTIAL_REASONS,
  'credential.state': CREDENTIAL_STATES,
  'webhook_delivery.status': WEBHOOK_DELIVERY_STATUSES,
  'koxo_snapshot.status': KOXO_SNAPSHOT_STATUSES,
  'koxo_readback_run.status': KOXO_READBACK_RUN_STATUSES,
  'posix_counter.kind': POSIX_KINDS,
  'managed_group.lifetime': GROUP_LIFETIMES,
  'managed_group.source': GROUP_SOURCES,
  'access_block.profile': PROFILES,
  'access_block.source': ACCESS_BLOCK_SOURCES,
  'campaign.kind': CAMPAIGN_KIND_VALUES,
  'campaign.approval': CAMPAIGN_APPROVALS,
  'campaign.state': CAMPAIGN_STATES,
  'campaign_item.status': CAMPAIGN_ITEM_STATUSES,
  'group_purge.kind': CLASS_GROUP_KINDS,
  'group_purge.status': GROUP_PURGE_STATUSES,
};
