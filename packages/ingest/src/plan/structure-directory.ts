import type { Executor } from '@aaf-sync/db';
import { aafIdOf, KEY_SEPARATOR, qualifiedKey } from './scope-keys.js';

export interface StructureInfo {
  readonly jointure: string;
  readonly uai: string | null;
  readonly name: string;
  /** Académie scope holding it ('-': files without a scope token). */
  readonly scope?: string;
}

/**
 * Structure key (the `jointure` column) → UAI and name, loaded once per import and updated by
 * planned records. Loaded for one académie scope: `keyOf` gives the key of an AAF structure id
 * of that scope (see scope-keys.ts: the id, or `<id>@<scope>` when another scope held the id
 * first), `has` knows only that scope's structures (a record never links to another académie's
 * school), and UAIs are compared across scopes (a UAI is national).
 */
export class StructureDirectory {
  readonly #by = new Map<string, StructureInfo>();
  /** UAI → jointure of the first structure holding it. */
  readonly #byUai = new Map<string, string>();
  /** AAF id → key, for the qualified keys of this directory's scope. */
  readonly #qualified = new Map<string, string>();
  /** How many structures of another scope it holds. */
  #foreign = 0;

  /** @param scope the delivery's académie scope; null: every structure (applying a plan). */
  private constructor(readonly scope: string | null) {}

  static async load(db: Executor, scope: string | null = null): Promise<StructureDirectory> {
    const dir = new StructureDirectory(scope);
    const rows = await db
      .selectFrom('structure')
      .select(['jointure', 'uai', 'name', 'scope'])
      .execute();
    for (const r of rows) dir.set(r);
    return dir;
  }

  /** Records a structure; without a scope, one of this directory's scope (a planned record). */
  set(info: StructureInfo): void {
    const scope = info.scope ?? this.scope ?? '-';
    const before = this.#by.get(info.jointure);
    if (before !== undefined && before.scope !== this.scope) this.#foreign--;
    if (scope !== this.scope) this.#foreign++;
    this.#by.set(info.jointure, { ...info, scope });
    if (info.uai && !this.#byUai.has(info.uai)) this.#byUai.set(info.uai, info.jointure);
    if (scope === this.scope && info.jointure.includes(KEY_SEPARATOR))
      this.#qualified.set(aafIdOf(info.jointure), info.jointure);
  }

  /** How many structures of the delivery's scope it holds (loaded or planned). */
  get ownCount(): number {
    return this.#by.size - this.#foreign;
  }

  /** Every key is its AAF id: no structure of another scope, no qualified key (`keyOf` = id). */
  get plainKeys(): boolean {
    return this.scope === null || (this.#foreign === 0 && this.#qualified.size === 0);
  }

  /**
   * The key of the structure of AAF id `id` in this directory's scope (the same for its record
   * and every reference to it within a delivery).
   */
  keyOf(id: string): string {
    if (this.scope === null) return id;
    const qualified = this.#qualified.get(id);
    if (qualified !== undefined) return qualified;
    const held = this.#by.get(id);
    return held !== undefined && held.scope !== this.scope ? qualifiedKey(id, this.scope) : id;
  }

  /** The scope of another académie holding this structure key, if any. */
  foreignScope(jointure: string): string | undefined {
    const scope = this.#by.get(jointure)?.scope;
    return this.scope !== null && scope !== undefined && scope !== this.scope ? scope : undefined;
  }

  /**
   * The jointure of a structure holding this UAI, other than `except`, if any (of any scope: a
   * UAI is national).
   */
  holderOf(uai: string, except: string): string | undefined {
    const holder = this.#byUai.get(uai);
    if (holder === undefined) return undefined;
    if (holder !== except && this.#by.get(holder)?.uai === uai) return holder;
    // (the first holder changed its UAI or is `except`: look for another one)
    for (const info of this.#by.values())
      if (info.uai === uai && info.jointure !== except) return info.jointure;
    return undefined;
  }

  /** Whether the directory holds this structure in the delivery's scope. */
  has(jointure: string): boolean {
    return this.#by.has(jointure) && this.foreignScope(jointure) === undefined;
  }

  get(jointure: string): StructureInfo | undefined {
    return this.#by.get(jointure);
  }

  uai(jointure: string | null | undefined): string | null {
    return jointure ? (this.#by.get(jointure)?.uai ?? null) : null;
  }

  /** UAIs of the given structures (those known and with a UAI), deduplicated. */
  uais(jointures: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const j of jointures) {
      const u = this.uai(j);
      if (u) out.add(u);
    }
    return [...out];
  }
}
