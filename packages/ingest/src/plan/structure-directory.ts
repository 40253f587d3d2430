import type { Executor } from '@aaf-sync/db';

export interface StructureInfo {
  readonly jointure: string;
  readonly uai: string | null;
  readonly name: string;
}

/** Structure jointure → UAI and name, loaded once per import and updated by planned records. */
export class StructureDirectory {
  readonly #by = new Map<string, StructureInfo>();
  /** UAI → jointure of the first structure holding it. */
  readonly #byUai = new Map<string, string>();

  static async load(db: Executor): Promise<StructureDirectory> {
    const dir = new StructureDirectory();
    const rows = await db.selectFrom('structure').select(['jointure', 'uai', 'name']).execute();
    for (const r of rows) dir.set(r);
    return dir;
  }

  set(info: StructureInfo): void {
    this.#by.set(info.jointure, info);
    if (info.uai && !this.#byUai.has(info.uai)) this.#byUai.set(info.uai, info.jointure);
  }

  /** The jointure of a structure holding this UAI, other than `except`, if any. */
  holderOf(uai: string, except: string): string | undefined {
    const holder = this.#byUai.get(uai);
    if (holder === undefined) return undefined;
    if (holder !== except && this.#by.get(holder)?.uai === uai) return holder;
    // (the first holder changed its UAI or is `except`: look for another one)
    for (const info of this.#by.values())
      if (info.uai === uai && info.jointure !== except) return info.jointure;
    return undefined;
  }

  has(jointure: string): boolean {
    return this.#by.has(jointure);
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
