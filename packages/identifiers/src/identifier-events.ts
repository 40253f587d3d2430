import type { EventInput, IdentifierStatus } from '@aaf-sync/db';
import type { PersonContext } from './identifier.repository.js';

/** Who or what made a change, copied onto its change events. */
export interface EventContext {
  readonly actor?: string | null;
  readonly importId?: number | null;
  readonly fileId?: number | null;
}

/** The entity key of an identifier in the change feed: `<namespace>:<value>`. */
export function identifierKey(namespace: string, value: string): string {
  return `${namespace}:${value}`;
}

/** An event of an identifier row: under its key, at its holder's establishment, with who did it. */
function identifierEvent(
  row: { readonly namespace: string; readonly value: string },
  op: 'created' | 'updated',
  version: number,
  changes: Record<string, unknown>,
  person: PersonContext | undefined,
  context: EventContext,
): EventInput {
  return {
    entityType: 'identifier',
    entityKey: identifierKey(row.namespace, row.value),
    op,
    version,
    uais: person?.uai ? [person.uai] : [],
    changes,
    importId: context.importId ?? null,
    fileId: context.fileId ?? null,
    actor: context.actor ?? null,
  };
}

/**
 * `created` event of a new identifier row (version 1). `changes` is the public record:
 * the holder's jointure, namespace, value, status, and `base` (allocated values) or
 * `replaces` (the primary it replaced).
 */
export function createdEvent(
  row: {
    readonly namespace: string;
    readonly value: string;
    readonly status: IdentifierStatus;
    readonly base?: string | null;
    readonly replaces?: string | null;
  },
  person: PersonContext | undefined,
  context: EventContext,
): EventInput {
  const changes = {
    person: person?.jointure ?? null,
    namespace: row.namespace,
    value: row.value,
    status: row.status,
    ...(row.base ? { base: row.base } : {}),
    ...(row.replaces ? { replaces: row.replaces } : {}),
  };
  return identifierEvent(row, 'created', 1, changes, person, context);
}

/** `updated` event of a status change (`{ status: [before, after] }`), at the row's new version. */
export function statusEvent(
  row: { readonly namespace: string; readonly value: string; readonly version: number },
  before: IdentifierStatus,
  after: IdentifierStatus,
  person: PersonContext | undefined,
  context: EventContext,
): EventInput {
  const changes = { status: [before, after] };
  return identifierEvent(row, 'updated', row.version, changes, person, context);
}
