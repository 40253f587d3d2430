import { createHash } from 'node:crypto';
import type { KoxoPopulation } from './columns.js';
import { serializeKoxoCsv } from './csv.js';
import { koxoRow, loginProblem } from './build-rows.js';
import type { KoxoOptions } from './koxo-options.js';
import type { RosterEntry } from './roster.js';

/** One generated CSV of an establishment. */
export interface GeneratedFile {
  /** `<UAI>-<population>.csv`, stable whatever the site's primary group names. */
  readonly name: string;
  readonly population: KoxoPopulation;
  readonly primaryGroup: string;
  readonly rows: number;
  readonly sha256: string;
  readonly content: Buffer;
  /** Jointures written in the file. */
  readonly jointures: readonly string[];
}

export interface GeneratedSet {
  readonly files: readonly GeneratedFile[];
  /** Accounts left out, with the reason (per-account failures). */
  readonly rejected: ReadonlyMap<string, string>;
  /**
   * sha256 over the files' names and hashes with the passwords blanked: a regeneration that
   * only drops passwords already published is "unchanged" (the creating file stays served until
   * something else changes in the establishment).
   */
  readonly digest: string;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function koxoFileName(uai: string, population: KoxoPopulation): string {
  return `${uai}-${population}.csv`;
}

/**
 * The complete files of one establishment: one per population of the options (a population
 * without accounts still gets its header-only file, so the set never changes shape), rows sorted
 * by unique id. `passwords` holds initial passwords of accounts not yet published (by jointure).
 */
export function buildKoxoFiles(
  uai: string,
  roster: readonly RosterEntry[],
  options: KoxoOptions,
  passwords: ReadonlyMap<string, string>,
): GeneratedSet {
  const rejected = new Map<string, string>();
  const files: GeneratedFile[] = [];
  const digestParts: string[] = [];
  for (const population of options.populations) {
    const entries = roster
      .filter((e) => e.population === population)
      .filter((e) => {
        const problem = loginProblem(e.login);
        if (problem) rejected.set(e.jointure, problem);
        return problem === null;
      })
      .sort((a, b) => (a.jointure < b.jointure ? -1 : a.jointure > b.jointure ? 1 : 0));
    const rows = entries.map((e) => koxoRow(e, uai, passwords.get(e.jointure) ?? null));
    const content = Buffer.from(serializeKoxoCsv(rows), 'utf8');
    const withPasswords = rows.some((r) => r.MotDePasse !== '');
    // The digest ignores passwords: dropping a password already sent makes no new version.
    const sameWithout = withPasswords
      ? sha256(serializeKoxoCsv(rows.map((r) => ({ ...r, MotDePasse: '' }))))
      : null;
    files.push({
      name: koxoFileName(uai, population),
      population,
      primaryGroup: options.primaryGroups[population],
      rows: rows.length,
      sha256: sha256(content),
      content,
      jointures: entries.map((e) => e.jointure),
    });
    digestParts.push(
      `${population}:${options.primaryGroups[population]}:${sameWithout ?? sha256(content)}`,
    );
  }
  const digest = sha256(digestParts.join('\n'));
  return { files, rejected, digest };
}
