/** An event as the outbox reads it from `change_event` (with the person behind a login). */
export interface LogEvent {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly entityType: string;
  readonly entityKey: string;
  readonly op: string;
  readonly version: number;
  readonly uais: readonly string[];
  readonly changes: Readonly<Record<string, unknown>>;
  /** identifier events: the jointure of the person holding the login. */
  readonly personJointure: string | null;
}

/** What a delivery carries (the request body, Standard Webhooks style: type, timestamp, data). */
export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: {
    readonly seq: number;
    readonly entity: 'account' | 'group' | 'membership' | 'snapshot' | 'notice';
    /**
     * Stable id: the person's jointure, the class or group key, the membership key, the UAI,
     * the notice id.
     */
    readonly id: string;
    readonly version: number | null;
    /** The subscription's establishments this event concerns (never others). */
    readonly establishments: readonly string[];
    /** Names of the changed fields (updated), or of the fields of the new record (created). */
    readonly changed: readonly string[];
    /** Only when the subscription has `includePersonalData`: the new values of those fields. */
    readonly personal?: Readonly<Record<string, unknown>>;
    /** notice.*: its kind and title (the body too with `includePersonalData`). */
    readonly notice?: { readonly kind: string; readonly title: string; readonly body?: string };
  };
}

export interface Projected {
  readonly type: string;
  /** Order is kept per key: an event waits while an older one of the same key is pending. */
  readonly orderKey: string;
  readonly payload: WebhookPayload;
}

/** Fields never sent, whatever the scope (raw AAF attributes, hashes). */
const NEVER = new Set(['attributes', 'recordHash', 'record_hash', 'raw']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields an event carries, as the log writes them (services/api/README.md, the feed):
 * updated (and restored) → `{ fields: { name: [before, after] } }`, created → `{ after: { … } }`.
 * Events written flat (`{ name: [before, after] }`) are read as they are.
 */
function fieldsOf(e: LogEvent): Record<string, unknown> {
  if (isRecord(e.changes.fields)) return e.changes.fields; // updated, restored
  if (e.op === 'created' && isRecord(e.changes.after)) return e.changes.after;
  return e.changes;
}

/** `[before, after]` of a boolean field of an update, when it changed. */
function flipped(fields: Record<string, unknown>, name: string): [boolean, boolean] | null {
  const v = fields[name];
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'boolean' && v[0] !== v[1]
    ? [v[0], v[1] as boolean]
    : null;
}

/**
 * The account event type of a person event. An update that changes whether the person holds an
 * account says so: `hasAccount` (a relative losing its last legal link: `account.disabled`;
 * gaining one: `account.created`, its identifiers allocated then) and `accessBlocked` (the
 * calendar's blocking: `account.disabled` at its start, `account.restored` at its end).
 */
function accountType(e: LogEvent, fields: Record<string, unknown>): string {
  if (e.op !== 'updated') return `account.${e.op}`;
  const account = flipped(fields, 'hasAccount');
  if (account) return account[1] ? 'account.created' : 'account.disabled';
  const blocked = flipped(fields, 'accessBlocked');
  if (blocked) return blocked[1] ? 'account.disabled' : 'account.restored';
  return 'account.updated';
}

function newValues(e: LogEvent, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (NEVER.has(field)) continue;
    out[field] =
      (e.op === 'updated' || e.op === 'restored') && Array.isArray(value) && value.length === 2
        ? value[1]
        : value;
  }
  return out;
}

/** A `notice.<kind>` event: the kind and title; the body only with personal data allowed. */
function noticeOf(e: LogEvent, personal: boolean): WebhookPayload['data']['notice'] | null {
  const kind = e.changes.kind;
  if (typeof kind !== 'string' || !/^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/.test(kind)) return null;
  const title = typeof e.changes.title === 'string' ? e.changes.title : '';
  const body = typeof e.changes.body === 'string' ? e.changes.body : undefined;
  return { kind, title, ...(personal && body !== undefined ? { body } : {}) };
}

/**
 * The thin payload of an event for a subscription serving `uais`, or null when the event is not
 * one a pedagogical server follows (structures, subjects, teaching links…). Personal data
 * (new field values, a notice's body) only with `personal`.
 */
export function project(e: LogEvent, uais: readonly string[], personal: boolean): Projected | null {
  const establishments = e.uais.filter((u) => uais.includes(u));
  let entity: WebhookPayload['data']['entity'];
  let id = e.entityKey;
  let type: string;
  const fields = fieldsOf(e);
  let changed = Object.keys(fields).filter((f) => !NEVER.has(f));
  let notice: WebhookPayload['data']['notice'] | null = null;
  switch (e.entityType) {
    case 'person':
      // A person created without an account (a relative: its legal links are written after it
      // in the same import; a contact never gets one) is no account yet: it is announced
      // `account.created` when `hasAccount` turns true, with its identifiers.
      if (e.op === 'created' && fields.hasAccount === false) return null;
      entity = 'account';
      type = accountType(e, fields);
      break;
    case 'identifier': {
      if (!e.personJointure) return null;
      entity = 'account';
      id = e.personJointure;
      type = 'account.updated';
      changed = [`login.${e.entityKey.slice(0, e.entityKey.indexOf(':'))}`];
      break;
    }
    case 'class':
    case 'group':
      entity = 'group';
      type = `group.${e.op}`;
      break;
    case 'membership':
      entity = 'membership';
      type = `membership.${e.op}`;
      break;
    case 'notice':
      notice = noticeOf(e, personal);
      if (e.op !== 'created' || !notice) return null;
      entity = 'notice';
      type = `notice.${notice.kind}`;
      changed = [];
      break;
    default:
      return null;
  }
  const values = entity === 'account' && e.entityType === 'person' ? newValues(e, fields) : {};
  return {
    type,
    orderKey: `${entity}:${id}`,
    payload: {
      type,
      timestamp: e.occurredAt.toISOString(),
      data: {
        seq: e.seq,
        entity,
        id,
        version: e.version,
        establishments,
        changed: e.op === 'updated' || e.op === 'created' ? changed : [],
        ...(personal && Object.keys(values).length > 0 ? { personal: values } : {}),
        ...(notice ? { notice } : {}),
      },
    },
  };
}

/** The `snapshot.published` cue for one establishment after a window ending at `seq`. */
export function snapshotCue(uai: string, seq: number, at: Date): Projected {
  return {
    type: 'snapshot.published',
    orderKey: `snapshot:${uai}`,
    payload: {
      type: 'snapshot.published',
      timestamp: at.toISOString(),
      data: {
        seq,
        entity: 'snapshot',
        id: uai,
        version: null,
        establishments: [uai],
        changed: [],
      },
    },
  };
}
