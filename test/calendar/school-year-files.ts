import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The AAF deliveries of the school year, made from the 2D sample of the product owner
 * (test/fixtures/aaf-samples/2d: collège 910001, UAI 0990001N) by text edits, so that every
 * file is a real AAF file read by the real engine.
 *
 * - School A is the sample: pupils 9300101 (Léa, 5A + 5LAT) and 9300102 (Hugo, 5B), legal
 *   relatives 9310201 and 9310202 (a contact-only 9310203), a teacher 9320301 (5A, 5B), the
 *   principal 9320302 and an assistant 9320303.
 * - School B is the same school re-numbered (910002, ids 94…, other names), in `_0001` files.
 */
const SAMPLE = resolve(import.meta.dirname, '../fixtures/aaf-samples/2d');

export const A = { structure: '910001', uai: '0990001N' } as const;
export const B = { structure: '910002', uai: '0990002X' } as const;

type Edits = readonly (readonly [string, string])[];

/** School B: the sample with every id, the UAI and the names changed. */
const SCHOOL_B: Edits = [
  ['910001', B.structure],
  [A.uai, B.uai],
  ['ce.0990001n', 'ce.0990002x'],
  ['93001', '94001'],
  ['93102', '94102'],
  ['93203', '94203'],
  ['7001', '7002'],
  ['1234567', '2234567'],
  ['DES TILLEULS', 'DES CHENES'],
  ['MARCHAND', 'MOREAU'],
  ['GIRAUD', 'GARNIER'],
  ['LEFORT', 'LEBLANC'],
  ['ROUSSEL', 'RENARD'],
  ['NGUYEN', 'NOEL'],
  ['marchand', 'moreau'],
  ['lefort', 'leblanc'],
  ['roussel', 'renard'],
];

const sample = (name: string): string => readFileSync(join(SAMPLE, name), 'utf8');

function edit(text: string, edits: Edits): string {
  for (const [from, to] of edits) text = text.split(from).join(to);
  return text;
}

/** The `<addRequest>` of `id` in an AAF file (the whole element). */
function request(text: string, id: string): string {
  const re = new RegExp(
    `<addRequest>(?:(?!</addRequest>)[\\s\\S])*<id>${id}</id>[\\s\\S]*?</addRequest>\\n`,
  );
  const found = re.exec(text);
  if (!found) throw new Error(`no addRequest ${id}`);
  return found[0];
}

const withoutRequest = (text: string, id: string): string => text.replace(request(text, id), '');
const appendRequest = (text: string, req: string): string =>
  text.replace('</ficAlimMENESR>', `${req}</ficAlimMENESR>`);

/** Every file of a complete: the entity → text of school A, and the entities B also has. */
interface Complete {
  readonly a: Record<string, string>;
  readonly b: Record<string, string>;
}

function sampleComplete(): Complete {
  const a: Record<string, string> = {};
  const b: Record<string, string> = {};
  for (const name of readdirSync(SAMPLE)) {
    const m = /_Complet_\d{8}_(\w+)_0000\.xml$/.exec(name);
    if (!m) continue;
    a[m[1]!] = sample(name);
    // Subjects and MEFs are académie nomenclatures: listed once.
    if (m[1] !== 'MatiereEducNat' && m[1] !== 'MefEducNat') b[m[1]!] = edit(sample(name), SCHOOL_B);
  }
  return { a, b };
}

function writeComplete(dir: string, date: string, c: Complete): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(SAMPLE, 'ficAlimMENESR.dtd'), join(dir, 'ficAlimMENESR.dtd'));
  for (const [entity, text] of Object.entries(c.a))
    writeFileSync(join(dir, `ENT_TEST_Complet_${date}_${entity}_0000.xml`), text);
  for (const [entity, text] of Object.entries(c.b))
    writeFileSync(join(dir, `ENT_TEST_Complet_${date}_${entity}_0001.xml`), text);
  return dir;
}

/** The last complete of year N (both schools as in the sample), dated `date` (YYYYMMDD). */
export function juneComplete(dir: string, date: string): string {
  return writeComplete(dir, date, sampleComplete());
}

/**
 * The delta of the sample for school A, re-dated: pupil 9300103 (Yanis, 5B) arrives with his
 * relative 9310204 (Karim, legal), Hugo moves to 5A and 5LAT, Léa (9300101) leaves.
 * `edits` change it further (a summer delta that differs).
 */
export function sampleDelta(dir: string, date: string, edits: Edits = []): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(SAMPLE, 'ficAlimMENESR.dtd'), join(dir, 'ficAlimMENESR.dtd'));
  for (const name of readdirSync(SAMPLE)) {
    if (!name.includes('_Delta_')) continue;
    writeFileSync(join(dir, name.replace(/_\d{8}_/, `_${date}_`)), edit(sample(name), edits));
  }
  return dir;
}

/**
 * The initialisation complete of year N+1, received during the summer:
 * - A: Hugo moved up to 4A (out of every group); Noé (9300104, Léa's younger brother, same
 *   relatives) arrives in 4A; Yanis has left (so has Karim, his only relative: no child left);
 *   the assistant 9320303 has left; the teacher still names 5A and 5B (late STS feedback).
 * - B: Hugo-B moved up to 4B, Léa-B was NOT moved out of 5A in SIECLE (a leftover).
 */
export function initialisationComplete(dir: string, date: string): string {
  const c = sampleComplete();
  const leaA = request(c.a.Eleve!, '9300101');
  const noe = edit(leaA, [
    ['9300101', '9300104'],
    ['123456789AB', '123456791EF'],
    ['L&#201;A', 'NO&#201;'],
    ['14/03/2012', '20/05/2014'],
    ['910001$02/09/2024$5A', '910001$01/09/2025$4A'],
    ['<value>910001$5A</value>', '<value>910001$4A</value>'],
    ['<value>910001$5LAT</value>', '<value/>'],
    ['700101', '700104'],
  ]);
  let pupilsA = withoutRequest(c.a.Eleve!, '9300101');
  pupilsA = edit(pupilsA, [['<value>910001$5B</value>', '<value>910001$4A</value>']]);
  pupilsA = appendRequest(pupilsA, noe);
  const relativesA = edit(c.a.PersRelEleve!, [
    [
      '<value>9300101</value><value>9300102</value>',
      '<value>9300102</value><value>9300104</value>',
    ],
    ['<value>9300101</value>', '<value>9300104</value>'],
  ]);
  const staffA = withoutRequest(c.a.PersEducNat!, '9320303');
  const pupilsB = edit(c.b.Eleve!, [['<value>910002$5B</value>', '<value>910002$4B</value>']]);
  return writeComplete(dir, date, {
    a: { ...c.a, Eleve: pupilsA, PersRelEleve: relativesA, PersEducNat: staffA },
    b: { ...c.b, Eleve: pupilsB },
  });
}
