import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIdentifier, namespaceRules } from '@aaf-sync/identifiers';
import t from 'tap';
import {
  DEFAULT_PRIMARY_GROUPS,
  KOXO_COLUMNS,
  buildKoxoFiles,
  csvField,
  loginProblem,
  type KoxoOptions,
} from '../src/index.js';
import { ROSTER } from './roster-fixture.js';

const golden = (name: string) => readFileSync(join(import.meta.dirname, 'golden', name));
const OPTIONS: KoxoOptions = {
  exportDir: '/nonexistent',
  shrinkThreshold: 0.1,
  populations: ['pupil', 'teacher', 'staff', 'relative'],
  primaryGroups: DEFAULT_PRIMARY_GROUPS,
  readBack: null,
};

t.test('one golden file per primary group: BOM, header, ";" and CRLF, quoting', async (t) => {
  const set = buildKoxoFiles('0350001A', ROSTER, OPTIONS, new Map([['E001', 'Init-Pass;1']]));
  t.same(
    set.files.map((f) => [f.name, f.primaryGroup, f.rows]),
    [
      ['0350001A-pupil.csv', 'ELEVES', 2],
      ['0350001A-teacher.csv', 'PROFESSEURS', 1],
      ['0350001A-staff.csv', 'PERSONNELS', 1],
      ['0350001A-relative.csv', 'PARENTS', 1],
    ],
  );
  for (const f of set.files) {
    t.ok(f.content.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `${f.name} has a BOM`);
    t.equal(f.content.toString('utf8'), golden(f.name).toString('utf8'), `${f.name} is golden`);
    const lines = f.content.toString('utf8').slice(1).split('\r\n');
    t.equal(lines[0], KOXO_COLUMNS.join(';'), 'header');
    t.equal(lines.at(-1), '', 'ends with CRLF');
  }
  t.same(set.files[0]?.jointures, ['E001', 'E002'], 'rows sorted by unique id');
});

t.test('quoting: ";" and quotes are quoted, quotes doubled, line breaks flattened', async (t) => {
  t.equal(csvField('Dupont; "dite" Martin'), '"Dupont; ""dite"" Martin"');
  t.equal(csvField("N'Diaye"), "N'Diaye");
  t.equal(csvField('a\r\nb'), 'a b');
  t.equal(csvField(''), '');
});

t.test(
  'only relatives when the target wants them; a population without rows keeps its header',
  async (t) => {
    const set = buildKoxoFiles(
      '0350001A',
      ROSTER.filter((e) => e.population === 'pupil'),
      { ...OPTIONS, populations: ['pupil', 'teacher', 'staff'] },
      new Map(),
    );
    t.same(
      set.files.map((f) => f.name),
      ['0350001A-pupil.csv', '0350001A-teacher.csv', '0350001A-staff.csv'],
    );
    t.equal(set.files[1]?.rows, 0);
    t.equal(set.files[1]?.content.toString('utf8'), '\uFEFF' + KOXO_COLUMNS.join(';') + '\r\n');
  },
);

t.test('the 20-character rule, numbers above 9, 99 and 999 included', async (t) => {
  const [rule] = namespaceRules({ namespaces: ['koxo'], numberStart: 2 });
  const base = 'jmartindupontlefebvreduchemin';
  const value = (n: number) => formatIdentifier(rule!, base, n - 2 + 1); // homonym number n
  t.equal(formatIdentifier(rule!, base, 0), 'jmartindupontlefebvr', 'bare form cut to 20');
  for (const n of [9, 10, 99, 100, 999, 1000]) {
    const login = value(n);
    t.ok(login.endsWith(String(n)) && login.length === 20, `${login}: 20 characters, number kept`);
    t.equal(loginProblem(login), null, `${login} is accepted`);
  }
  t.equal(value(1000), 'jmartindupontlef1000', 'the number is never cut');
  t.match(loginProblem('jmartindupontlefebvre1'), /22 characters; the limit is 20/);
  t.match(loginProblem(null), /no primary koxo identifier/);

  const tooLong = { ...ROSTER[1]!, jointure: 'E009', login: 'abcdefghijklmnopqrstu' };
  const set = buildKoxoFiles('0350001A', [ROSTER[1]!, tooLong], OPTIONS, new Map());
  t.same(set.files[0]?.jointures, ['E001'], 'a 21-character login is left out of the file');
  t.match(set.rejected.get('E009'), /21 characters/);
});
