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

function uaisOf(person: PersonContext | undefined): string[] {
  return person?.uai ? [person.uai] : [];
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
  return {
    entityType: 'identifier',
    entityKey: identifierKey(row.namespace, row.value),
    op: 'created',
    version: 1,
    uais: uaisOf(person),
    changes: {
      person: person?.jointure ?? null,
      namespace: row.namespace,
      value: row.value,
      status: row.status,
      ...(row.base ? { base: row.base } : {}),
      ...(row.replaces ? { replaces: row.replaces } : {}),
    },
    importId: context.importId ?? null,
    fileId: context.fileId ?? null,
    actor: context.actor ?? null,
  };
}

/** `updated` event of a status change (`{ status: [before, after] }`), at the row's new version. */
export function statusEvent(
  row: { readonly namespace: string; readonly value: string; readonly version: number },
  before: IdentifierStatus,
  after: IdentifierStatus,
  person: PersonContext | undefined,
  context: EventContext,
): EventInput {
  return {
    entityType: 'identifier',
    entityKey: identifierKey(row.namespace, row.value),
    op: 'updated',
    version: row.version,
    uais: uaisOf(person),
    changes: { status: [before, after] },
    importId: context.importId ?? null,
    fileId: context.fileId ?? null,
    actor: context.actor ?? null,
  };
}
