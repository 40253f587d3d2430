import t from 'tap';
import { groupDuplicateRelatives, type DuplicateRelativePairRow } from '../src/index.js';

const r = (jointure: string) => ({ jointure, givenName: 'C', sn: 'L', pupils: [] });

t.test(
  'pairs are grouped into connected clusters, ordered by their smallest jointure',
  async (t) => {
    const pairs: DuplicateRelativePairRow[] = [
      { a: r('R5'), b: r('R6'), evidence: ['mail'] },
      { a: r('R2'), b: r('R3'), evidence: ['phone'] },
      { a: r('R1'), b: r('R3'), evidence: ['address'] },
    ];
    const groups = groupDuplicateRelatives(pairs);
    t.same(
      groups.map((g) => g.relatives.map((x) => x.jointure)),
      [
        ['R1', 'R2', 'R3'],
        ['R5', 'R6'],
      ],
    );
    t.same(groups[0]!.matches, [
      { a: 'R2', b: 'R3', evidence: ['phone'] },
      { a: 'R1', b: 'R3', evidence: ['address'] },
    ]);
    t.same(groupDuplicateRelatives([]), []);
  },
);
