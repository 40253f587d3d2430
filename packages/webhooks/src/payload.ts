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
    readonly entity: 'account' | 'group' | 'membership' | 'snapshot';
    /** Stable id: the person's jointure, the class or group key, the membership key, the UAI. */
    readonly id: string;
    readonly version: number | null;
    /** The subscription's establishments this event concerns (never others). */
    readonly establishments: readonly string[];
    /** Names of the changed fields (updated), or of the fields of the new record (created). */
    readonly changed: readonly string[];
    /** Only when the subscription has `includePersonalData`: the new values of those fields. */
    readonly personal?: Readonly<Record<string, unknown>>;
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

function newValues(e: LogEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(e.changes)) {
    if (NEVER.has(field)) continue;
    out[field] =
      e.op === 'updated' && Array.isArray(value) && value.length === 2 ? value[1] : value;
  }
  return out;
}

/**
 * The thin payload of an event for a subscription serving `uais`, or null when the event is not
 * one a pedagogical server follows (structures, subjects, teaching links…). Personal data
 * (new field values) only with `personal`.
 */
export function project(e: LogEvent, uais: readonly string[], personal: boolean): Projected | null {
  const establishments = e.uais.filter((u) => uais.includes(u));
  let entity: WebhookPayload['data']['entity'];
  let id = e.entityKey;
  let type: string;
  let changed = Object.keys(e.changes).filter((f) => !NEVER.has(f));
  switch (e.entityType) {
    case 'person':
      entity = 'account';
      type = `account.${e.op}`;
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
    default:
      return null;
  }
  const values = entity === 'account' && e.entityType === 'person' ? newValues(e) : {};
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
