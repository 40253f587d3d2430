import { bulkInsert, bulkUpdate, sql, type Executor } from '@aaf-sync/db';
import type { MembershipRef } from '../plan/person-state.js';
import { keyOf } from '../plan/person-state.js';
import type { EventBuffer } from './event-buffer.js';
import type { StructureDirectory } from '../plan/structure-directory.js';

interface ClassRow {
  id: number;
  kind: 'class' | 'group';
  structure: string;
  code: string;
  label: string;
  state: 'active' | 'empty';
  version: number;
}

/** The `class_group` columns every read and write of the cache returns. */
interface ClassGroupColumns {
  id: number;
  kind: 'class' | 'group';
  structure_jointure: string;
  code: string;
  label: string;
}

const classRowOf = (r: ClassGroupColumns, state: ClassRow['state'], version: number): ClassRow => ({
  id: r.id,
  kind: r.kind,
  structure: r.structure_jointure,
  code: r.code,
  label: r.label,
  state,
  version,
});

/** Event key of a class or group: `<structureJointure>$<code>`. */
export const classEventKey = (c: { structure: string; code: string }) => `${c.structure}$${c.code}`;

/**
 * Classes and groups by key, created on demand. They come into existence only here, when a
 * pupil joins them (never from a teacher's link or a structure's declaration); one that was
 * empty becomes active again, and a 1D label change renames it.
 */
export class ClassCache {
  readonly #by = new Map<string, ClassRow>();

  constructor(
    private readonly db: Executor,
    private readonly events: EventBuffer,
    private readonly structures: StructureDirectory,
    private readonly importId: number | null,
  ) {}

  async #load(keys: string[], refs: Map<string, MembershipRef>): Promise<void> {
    const wanted = keys.filter((k) => !this.#by.has(k)).map((k) => refs.get(k)!);
    if (wanted.length === 0) return;
    const { rows } = await sql<ClassGroupColumns & Pick<ClassRow, 'state' | 'version'>>`
      select c.id, c.kind, c.structure_jointure, c.code, c.label, c.state, c.version
      from class_group c join unnest(${wanted.map((w) => w.kind)}::text[], ${wanted.map((w) => w.structure)}::text[],
        ${wanted.map((w) => w.code)}::text[]) as k(kind, structure, code)
        on c.kind = k.kind and c.structure_jointure = k.structure and c.code = k.code`.execute(
      this.db,
    );
    for (const r of rows) this.#remember(classRowOf(r, r.state, r.version));
  }

  #remember(row: ClassRow): void {
    this.#by.set(keyOf.membership(row), row);
  }

  #event(row: ClassRow, op: 'created' | 'updated', changes: Record<string, unknown>): void {
    this.events.push({
      entityType: row.kind,
      entityKey: classEventKey(row),
      op,
      version: row.version,
      uais: this.structures.uais([row.structure]),
      changes,
    });
  }

  /** Returns the id of each referenced class/group, creating or reviving them as needed. */
  async ensure(refs: readonly MembershipRef[]): Promise<Map<string, number>> {
    const byKey = new Map(refs.map((r) => [keyOf.membership(r), r]));
    await this.#load([...byKey.keys()], byKey);
    const missing = [...byKey].filter(([k]) => !this.#by.has(k)).map(([, r]) => r);
    const created = await bulkInsert(
      this.db,
      'class_group',
      ['structure_jointure', 'kind', 'code', 'label', 'last_import_id'],
      missing.map((m) => ({
        structure_jointure: m.structure,
        kind: m.kind,
        code: m.code,
        label: m.label,
        last_import_id: this.importId,
      })),
      { returning: ['id', 'kind', 'structure_jointure', 'code', 'label'] },
    );
    for (const r of created) {
      const row = classRowOf(r, 'active', 1);
      this.#remember(row);
      this.#event(row, 'created', {
        after: { structure: row.structure, code: row.code, label: row.label, state: 'active' },
      });
    }
    await this.#revive([...byKey].map(([k, ref]) => [this.#by.get(k)!, ref] as const));
    return new Map([...byKey.keys()].map((k) => [k, this.#by.get(k)!.id]));
  }

  /** Empty classes that get a pupil again become active; a changed label renames the class. */
  async #revive(pairs: readonly (readonly [ClassRow, MembershipRef])[]): Promise<void> {
    const changed: ClassRow[] = [];
    for (const [row, ref] of pairs) {
      const fields: Record<string, [unknown, unknown]> = {};
      if (row.state === 'empty') fields.state = ['empty', 'active'];
      if (row.label !== ref.label) fields.label = [row.label, ref.label];
      if (Object.keys(fields).length === 0 || changed.includes(row)) continue;
      row.state = 'active';
      row.label = ref.label;
      row.version += 1;
      changed.push(row);
      this.#event(row, 'updated', { fields });
    }
    await bulkUpdate(
      this.db,
      'class_group',
      ['id'],
      ['label', 'state', 'version', 'last_import_id'],
      changed.map((r) => ({
        id: r.id,
        label: r.label,
        state: r.state,
        version: r.version,
        last_import_id: this.importId,
      })),
      // A class closed by the year transition (packages/groups) is reopened by its pupil.
      { also: { updated_at: sql`now()`, closed_at: null, closed_school_year: null } },
    );
  }

  /** Marks active classes and groups left without any member as empty (with events). */
  async markEmpty(ids: Iterable<number>): Promise<number> {
    const list = [...new Set(ids)];
    if (list.length === 0) return 0;
    const { rows } = await sql<ClassGroupColumns & Pick<ClassRow, 'version'>>`
      update class_group c set state = 'empty', version = c.version + 1, updated_at = now(),
        last_import_id = ${this.importId}
      where c.id = any(${list}::bigint[]) and c.state = 'active'
        and not exists (select 1 from membership m where m.class_group_id = c.id)
      returning c.id, c.kind, c.structure_jointure, c.code, c.label, c.version`.execute(this.db);
    for (const r of rows) {
      const row = classRowOf(r, 'empty', r.version);
      this.#remember(row);
      this.#event(row, 'updated', { fields: { state: ['active', 'empty'] } });
    }
    return rows.length;
  }

  /** Ids of the given classes already known (for membership removals). */
  async idsOf(refs: readonly MembershipRef[]): Promise<Map<string, number>> {
    const byKey = new Map(refs.map((r) => [keyOf.membership(r), r]));
    await this.#load([...byKey.keys()], byKey);
    const out = new Map<string, number>();
    for (const k of byKey.keys()) {
      const row = this.#by.get(k);
      if (row) out.set(k, row.id);
    }
    return out;
  }
}
