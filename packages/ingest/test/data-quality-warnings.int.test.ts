import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import t from 'tap';
import { harness, variant } from './helpers.js';

/** The 2D sample with one data-quality problem of each kind. */
const FLAWED: readonly (readonly [string, string])[] = [
  // 9300101: an impossible birth date; 9300102: none at all.
  ['<value>14/03/2012</value>', '<value>31/02/2012</value>'],
  ['<attr name="ENTPersonDateNaissance"><value>02/11/2012</value></attr>', ''],
  // 9300102 names its mother twice: contact-only first, then legal (the legal one wins).
  [
    '<value>9310201$10$1$1$0$0</value><value>9310202$20$1$1$0$0</value></attr>',
    '<value>9310201$10$0$0$1$0</value><value>9310201$10$1$1$0$0</value><value>9310202$20$1$1$0$0</value></attr>',
  ],
  // A group made of a class the establishment does not declare.
  ['<value>5LAT$LATIN 5E$5A$5B</value>', '<value>5LAT$LATIN 5E$5A$5Z</value>'],
];

async function warnings(db: Kysely<Database>, importId: number) {
  const { rows } = await sql<{ code: string; subject: string; uai: string | null }>`
    select code, subject, uai from import_warning where import_id = ${importId} order by code, subject
  `.execute(db);
  return rows;
}

t.test(
  'doubtful records are kept with warnings listed per establishment, not rejected',
  async (t) => {
    const h = await harness(t);
    const { imports } = await h.ingest(
      variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet', replace: FLAWED }),
    );
    const r = imports[0]!;
    t.equal(r.status, 'applied');
    t.same(r.rejectsByCode, {}, 'nothing rejected');
    t.same(r.warningsByCode, {
      BIRTH_DATE_INVALID: 1,
      BIRTH_DATE_MISSING: 1,
      GROUP_CLASSES_UNKNOWN: 1,
      RELATIVE_FLAGS_CONFLICT: 1,
    });
    t.same(
      r.warnings.map((w) => [w.code, w.subject, w.uai]),
      [
        ['BIRTH_DATE_INVALID', '9300101', '0990001N'],
        ['BIRTH_DATE_MISSING', '9300102', '0990001N'],
        ['GROUP_CLASSES_UNKNOWN', '910001', '0990001N'],
        ['RELATIVE_FLAGS_CONFLICT', '9300102', '0990001N'],
      ],
    );
    t.match(r.warnings[0]!.message, /31\/02\/2012/);
    t.equal(r.establishments[0]!.warnings, 4, 'counted under the establishment');
    const { rows: pupils } = await sql<{ jointure: string; birth_date: string | null }>`
    select jointure, birth_date::text from person where category = 'pupil' order by jointure
  `.execute(h.db);
    t.same(
      pupils,
      [
        { jointure: '9300101', birth_date: null },
        { jointure: '9300102', birth_date: null },
      ],
      'both pupils kept, without a birth date',
    );
    const { rows: links } = await sql<{ legal: number; contact: boolean }>`
    select legal, contact from relative_link where pupil_jointure = '9300102' and relative_jointure = '9310201'
  `.execute(h.db);
    t.same(
      links,
      [{ legal: 1, contact: false }],
      'the legal occurrence of the repeated relative wins',
    );
  },
);

t.test(
  'relatives linked to no pupil, or whose pupils all departed, are warned about',
  async (t) => {
    const h = await harness(t);
    const dir = variant(join(t.testdirName, 'c1'), { from: '2d', pick: 'Complet' });
    // A relative no pupil names: a copy of 9310203 under another jointure.
    const relFile = join(
      dir,
      readdirSync(dir).find((n) => n.includes('_PersRelEleve_'))!,
    );
    const text = readFileSync(relFile, 'utf8');
    const block =
      /<addRequest>(?:(?!<\/addRequest>)[\s\S])*?<id>9310203<\/id>[\s\S]*?<\/addRequest>/.exec(
        text,
      )![0];
    writeFileSync(
      relFile,
      text.replace(
        '</ficAlimMENESR>',
        `${block.replaceAll('9310203', '9310299')}\n</ficAlimMENESR>`,
      ),
    );
    const first = (await h.ingest(dir)).imports[0]!;
    t.equal(first.status, 'applied');
    t.same(
      first.warnings.map((w) => [w.code, w.subject, w.uai]),
      [['RELATIVE_UNLINKED', '9310299', null]],
      'the unlinked relative is listed',
    );
    // Next Complet: pupil 9300101 is gone; 9310203 was only its relative.
    const { imports } = await h.ingest(
      variant(join(t.testdirName, 'c2'), {
        from: '2d',
        pick: 'Complet',
        date: '20240914',
        replace: [
          [/<addRequest>(?:(?!<\/addRequest>)[\s\S])*?<id>9300101<\/id>[\s\S]*?<\/addRequest>/, ''],
        ],
      }),
    );
    const r = imports[0]!;
    t.equal(r.status, 'applied');
    const rows = await warnings(h.db, r.importId);
    t.same(
      rows.map((w) => [w.code, w.subject, w.uai]),
      [['RELATIVE_PUPILS_DEPARTED', '9310203', '0990001N']],
    );
    const { rows: kept } = await sql<{ jointure: string; state: string; has_account: boolean }>`
    select jointure, state, has_account from person where jointure in ('9310203', '9310299')
    order by jointure`.execute(h.db);
    t.same(
      kept,
      [
        { jointure: '9310203', state: 'active', has_account: false },
        { jointure: '9310299', state: 'active', has_account: false },
      ],
      'both kept in the directory without an account',
    );
  },
);
