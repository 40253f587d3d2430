import type { Executor } from '@aaf-sync/db';
import { formatIdentifier } from './format-identifier.js';
import { identifierBase } from './identifier-base.js';
import { findTaken, readCounter } from './identifier.repository.js';
import type { NamespaceRule } from './namespace-rules.js';

export interface IdentifierPreview {
  /** The value a person with these names would get if created now. */
  readonly value: string;
  /** The bare form, also the homonym family key. */
  readonly base: string;
  /** Values already handed out from this base (the family counter). */
  readonly homonyms: number;
}

/** Candidates read per query while skipping values already taken. */
const LOOKAHEAD = 16;

/**
 * What `allocateIdentifiers` would give a person with these names right now, without
 * allocating: reads the family counter and skips candidates already taken (aliases, retired
 * values) or reserved. Two reads, no lock, no write: the answer may be outdated as soon as
 * another person is created. Backs `GET /v1/identifiers/preview` and `aaf-sync login-preview`.
 *
 * @example
 * await previewIdentifier(db, koxo, 'Jean', 'Martin'); // { value: 'jmartin2', base: 'jmartin', homonyms: 2 }
 */
export async function previewIdentifier(
  db: Executor,
  rule: NamespaceRule,
  givenName: string,
  sn: string,
): Promise<IdentifierPreview> {
  const base = identifierBase(rule, givenName, sn);
  const homonyms = await readCounter(db, { namespace: rule.name, base });
  for (let start = homonyms; ; start += LOOKAHEAD) {
    const candidates = Array.from({ length: LOOKAHEAD }, (_, i) =>
      formatIdentifier(rule, base, start + i),
    );
    const taken = new Set(
      (
        await findTaken(
          db,
          candidates.map((value) => ({ namespace: rule.name, value })),
        )
      ).map((t) => t.value),
    );
    const value = candidates.find((c) => !taken.has(c) && !rule.reserved.has(c));
    if (value !== undefined) return { value, base, homonyms };
  }
}
