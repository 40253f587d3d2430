import type {
  DuplicateEvidence,
  DuplicateRelativePairRow,
  RelativeSummary,
} from './duplicate-relative.repository.js';

/** Relatives that are probably one person: connected by pairwise matches. */
export interface DuplicateRelativeGroup {
  readonly relatives: RelativeSummary[];
  readonly matches: {
    readonly a: string;
    readonly b: string;
    readonly evidence: DuplicateEvidence[];
  }[];
}

/**
 * Groups matching pairs into clusters (A~B and B~C make one group of three), ordered by the
 * smallest jointure of each group.
 */
export function groupDuplicateRelatives(
  pairs: readonly DuplicateRelativePairRow[],
): DuplicateRelativeGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const people = new Map<string, RelativeSummary>();
  for (const { a, b } of pairs) {
    for (const r of [a, b]) {
      if (!parent.has(r.jointure)) parent.set(r.jointure, r.jointure);
      people.set(r.jointure, r);
    }
    const [ra, rb] = [find(a.jointure), find(b.jointure)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<
    string,
    { relatives: RelativeSummary[]; matches: DuplicateRelativeGroup['matches'][number][] }
  >();
  for (const jointure of [...people.keys()].sort()) {
    const root = find(jointure);
    const group = groups.get(root) ?? { relatives: [], matches: [] };
    group.relatives.push(people.get(jointure)!);
    groups.set(root, group);
  }
  for (const { a, b, evidence } of pairs) {
    groups.get(find(a.jointure))!.matches.push({ a: a.jointure, b: b.jointure, evidence });
  }
  return [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, g]) => g);
}
