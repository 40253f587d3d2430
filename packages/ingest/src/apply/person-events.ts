import type { PersonChangeItem } from '../plan/plan-item.js';
import type { ApplyContext } from './apply-context.js';
import { aafIdOf } from '../plan/scope-keys.js';

/** Persons created by a batch, by jointure: their id and new identifiers per namespace. */
export type CreatedPersons = Map<string, { id: number; identifiers: Record<string, string> }>;

/** What the batch wrote: new persons, identifiers of relatives gaining an account, accounts. */
export interface WrittenPersons {
  readonly created: CreatedPersons;
  readonly gained: Map<string, Record<string, string>>;
  readonly accounts: Map<string, boolean>;
}

/** Establishments of each person before and after the batch, and the UAIs of its events. */
export interface PersonStructures {
  readonly before: Map<string, string[]>;
  readonly after: Map<string, string[]>;
  readonly uais: Map<string, string[]>;
}

/**
 * Person events of a batch: created (with identifiers and `hasAccount`), updated or restored
 * (changed fields; a relative gaining an account carries its identifiers).
 */
export function pushPersonEvents(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
  versions: Map<string, number>,
  { created, gained, accounts }: WrittenPersons,
  { before, after, uais: uaisOf }: PersonStructures,
) {
  for (const i of items) {
    const structuresBefore = before.get(i.key) ?? [];
    const structuresAfter = after.get(i.key) ?? [];
    const uais = uaisOf.get(i.key) ?? [];
    const version = versions.get(i.key)!;
    if (i.action === 'create') {
      const { id, identifiers } = created.get(i.key)!;
      const event = {
        entityType: 'person' as const,
        entityKey: i.key,
        op: 'created' as const,
        version,
        uais,
        importId: ctx.importId,
        fileId: i.fileId,
        changes: {
          after: {
            id,
            // the AAF id (with `scope`: the person's identity); the event's key is the directory key
            jointure: aafIdOf(i.key),
            ...i.payload.columns,
            structures: structuresAfter,
            state: 'active',
            hasAccount: accounts.get(i.key) ?? true,
            identifiers,
          },
        },
      };
      ctx.events.push(event);
      continue;
    }
    if (version === i.baseVersion) continue;
    const fields: Record<string, unknown> = { ...i.payload.diff.fields };
    if (structuresBefore.join() !== structuresAfter.join())
      fields.structures = [structuresBefore, structuresAfter];
    if (i.action === 'restore') fields.state = ['departed', 'active'];
    const identifiers = gained.get(i.key);
    if (identifiers && Object.keys(identifiers).length > 0) fields.identifiers = [{}, identifiers];
    ctx.events.push({
      entityType: 'person',
      entityKey: i.key,
      op: i.action === 'restore' ? 'restored' : 'updated',
      version,
      uais,
      fileId: i.fileId,
      changes: { fields },
    });
  }
}
