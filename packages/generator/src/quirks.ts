import type { ChunkStyle, WrittenFile } from './chunk-writer.js';
import type { QuirkExpectation, RejectExpectation } from './manifest.js';
import type { SchoolLevel } from './plan.js';
import type { Pupil, Relative, StaffMember } from './population.js';
import type { RecordTweaks } from './records-2d.js';
import { DOUBLE_ESCAPED_CHIEF } from './staff-functions.js';

const NCR: ChunkStyle = { encoding: 'UTF-8', mode: 'ncr' };
const RAW: ChunkStyle = { encoding: 'UTF-8', mode: 'raw' };
const LATIN9: ChunkStyle = { encoding: 'ISO-8859-15', mode: 'raw' };
const NAMED_ENTITY = /&(?!amp;|lt;|gt;|apos;|quot;|#)[A-Za-z]+;/;
const UNKNOWN_ATTRIBUTE = 'ENTPersonAttributFutur';
/** A structure jointure no EtabEducNat file declares (generated ones are 91…/92…). */
export const UNKNOWN_STRUCTURE = '990000';

/** Names in other scripts, as written or transliterated (only with quirks). */
const NON_LATIN = [
  { givenName: 'ОЛЬГА', sn: 'ПЕТРОВА' },
  { givenName: 'OLGA', sn: 'PETROVA' },
  { givenName: 'ΓΙΩΡΓΟΣ', sn: 'ΠΑΠΑΔΟΠΟΥΛΟΣ' },
  { givenName: 'GIORGOS', sn: 'PAPADOPOULOS' },
];

/** Rates (one record in N) of the record-level quirks. */
const EVERY = {
  html: 40,
  unknown: 100,
  nonLatin: 500,
  arity: 50,
  birthDate: 300,
  unknownStructure: 60,
  sharedIne: 20,
} as const;
/** Invalid records injected per entity (each a MISSING_REQUIRED reject). */
export const INVALID_PER_ENTITY = 2;

/**
 * Decides where the real-world oddities go when `--quirks` is set, and remembers them for the
 * manifest. Without quirks every method is a no-op (NCR text, no tweak).
 */
export class Quirks {
  readonly enabled: boolean;
  readonly #level: SchoolLevel;
  #pupils = 0;
  #relatives = 0;
  #teachers = 0;
  readonly html: string[] = [];
  readonly unknown: string[] = [];
  readonly nonLatin: string[] = [];
  readonly doubleEscaped: string[] = [];
  readonly arity: string[] = [];
  /** Direction members (DIR function) written without ENTEnsFonctionDir. */
  readonly dirWithoutFonctionDir: string[] = [];
  /** Teachers with a teaching link to a class of a structure absent from the files (2D). */
  readonly unknownStructure: string[] = [];
  #directors = 0;
  /** Pupils written with an impossible birth date (kept by the importer, with a warning). */
  readonly birthDate: string[] = [];
  #births = 0;
  readonly invalid = { Eleve: [] as string[], PersEducNat: [] as string[] };
  /** Both levels: `<2D jointure>$<INE>` of 6e pupils, handed from the 2D to the 1D Complet. */
  readonly #shared: string[] | undefined;
  /** 6e pupils seen (one in 20 hands its INE on). */
  #sixthGrade = 0;
  /** CM2 pupils given a collégien's INE: `<1D jointure>$<2D jointure>`. */
  readonly sharedIne: string[] = [];

  constructor(enabled: boolean, level: SchoolLevel, sharedInes?: string[]) {
    this.enabled = enabled;
    this.#level = level;
    this.#shared = enabled ? sharedInes : undefined;
  }

  /** Both levels: one 6e pupil in 20 hands its INE on; CM2 pupils take them, in order. */
  #shareIne(p: Pupil): Pupil {
    const shared = this.#shared;
    if (!shared) return p;
    const age = p.estab.levels[p.level]?.age;
    if (this.#level === '2d' && age === 11 && this.#sixthGrade++ % EVERY.sharedIne === 4) {
      shared.push(`${p.id}$${p.ine}`);
      return p;
    }
    if (this.#level === '1d' && age === 10 && shared.length > 0) {
      const [college, ine] = shared.shift()!.split('$') as [string, string];
      this.sharedIne.push(`${p.id}$${college}`);
      return { ...p, ine };
    }
    return p;
  }

  /** The style of each chunk of an entity's Complet files. */
  styleOf(entity: string): (chunk: number) => ChunkStyle {
    if (!this.enabled) return () => NCR;
    if (entity === 'PersEducNat') return () => RAW;
    if (entity === 'PersRelEleve') return (chunk) => (chunk === 0 ? LATIN9 : NCR);
    return () => NCR;
  }

  /** Renders a pupil, with HTML named entities for one pupil in 40 (when it has accents). */
  pupil(
    p: Pupil,
    style: ChunkStyle,
    render: (p: Pupil, mode: ChunkStyle['mode']) => string,
  ): string {
    p = this.#shareIne(p);
    if (this.enabled && this.#births++ % EVERY.birthDate === 13) {
      // 31 February of the pupil's birth year: a date SIECLE should never export.
      this.birthDate.push(String(p.id));
      p = { ...p, birthDate: `31/02/${p.birthDate.slice(-4)}` };
    }
    const xml = render(p, style.mode);
    if (!this.enabled || style.mode !== 'ncr' || this.#pupils++ % EVERY.html !== 7) return xml;
    const html = render(p, 'html');
    if (!NAMED_ENTITY.test(html)) {
      this.#pupils--;
      return xml;
    }
    this.html.push(String(p.id));
    return html;
  }

  /** A relative as written: sometimes an unknown attribute, rarely a name in another script. */
  relative(r: Relative): { relative: Relative; tweaks: RecordTweaks } {
    if (!this.enabled) return { relative: r, tweaks: {} };
    const n = this.#relatives++;
    let relative = r;
    const tweaks: { unknownAttribute?: readonly [string, readonly string[]] } = {};
    if (n % EVERY.unknown === 3) {
      tweaks.unknownAttribute = [UNKNOWN_ATTRIBUTE, ['VALEUR']];
      this.unknown.push(String(r.id));
    }
    if (n % EVERY.nonLatin === 11) {
      const name = NON_LATIN[
        ((n / EVERY.nonLatin) % NON_LATIN.length) | 0
      ] as (typeof NON_LATIN)[number];
      relative = { ...r, name: { ...r.name, ...name, otherGivenNames: [] }, birthName: name.sn };
      this.nonLatin.push(String(r.id));
    }
    return { relative, tweaks };
  }

  /** Staff tweaks: the chief's double-escaped apostrophe, a 4-field function for one teacher in 50. */
  staff(s: StaffMember): RecordTweaks {
    if (!this.enabled) return {};
    const tweaks: {
      chiefLabel?: string;
      extraFunctions?: string[];
      noFonctionDir?: boolean;
      extraTeaching?: string[];
    } = {};
    // Every other chief or deputy: the DIR function without ENTEnsFonctionDir.
    const dirOnly =
      s.direction.length > 0 &&
      s.direction.every((e) =>
        s.functions.some((f) => f.code === 'DIR' && f.estab.jointure === e.jointure),
      );
    if (dirOnly) {
      if (this.#directors++ % 2 === 1) {
        tweaks.noFonctionDir = true;
        this.dirWithoutFonctionDir.push(String(s.id));
      }
    }
    if (
      this.#level === '2d' &&
      s.teacher &&
      s.services.length > 0 &&
      this.#teachers % EVERY.unknownStructure === 5
    ) {
      tweaks.extraTeaching = [`${UNKNOWN_STRUCTURE}$6Z$${s.services[0]!.subject}`];
      this.unknownStructure.push(String(s.id));
    }
    if (
      s.functions.some((f) => f.disciplineCode === 'D0010') &&
      this.doubleEscaped.length % 2 === 0
    ) {
      tweaks.chiefLabel = DOUBLE_ESCAPED_CHIEF;
    }
    if (s.functions.some((f) => f.disciplineCode === 'D0010'))
      this.doubleEscaped.push(String(s.id));
    if (s.teacher && this.#teachers++ % EVERY.arity === 1) {
      const f = s.functions[0];
      if (f) {
        tweaks.extraFunctions = [`${f.estab.jointure}$${f.code}$${f.label}$${f.disciplineCode}`];
        this.arity.push(String(s.id));
      }
    }
    return tweaks;
  }

  rejects(): RejectExpectation[] {
    if (!this.enabled) return [];
    const sn = this.#level === '2d' ? 'sn' : 'ENTPersonNom';
    return [
      {
        code: 'MISSING_REQUIRED',
        scope: 'record',
        entity: 'Eleve',
        attribute: sn,
        count: this.invalid.Eleve.length,
        ids: this.invalid.Eleve,
      },
      {
        code: 'MISSING_REQUIRED',
        scope: 'record',
        entity: 'PersEducNat',
        attribute: sn,
        count: this.invalid.PersEducNat.length,
        ids: this.invalid.PersEducNat,
      },
      {
        code: 'COMPOSITE_ARITY',
        scope: 'value',
        entity: 'PersEducNat',
        attribute: 'ENTPersonFonctions',
        count: this.arity.length,
        ids: this.arity,
      },
    ];
  }

  expectations(files: readonly WrittenFile[]): QuirkExpectation[] {
    if (!this.enabled) return [];
    const pick = (f: (w: WrittenFile) => boolean): string[] => files.filter(f).map((w) => w.name);
    const chiefs = this.doubleEscaped.filter((_, i) => i % 2 === 0);
    return [
      {
        kind: 'raw-utf8-file',
        files: pick((w) => w.entity === 'PersEducNat'),
        count: pick((w) => w.entity === 'PersEducNat').length,
      },
      {
        kind: 'iso-8859-15-file',
        files: pick((w) => w.encoding === 'ISO-8859-15'),
        count: pick((w) => w.encoding === 'ISO-8859-15').length,
      },
      { kind: 'html-named-entities', entity: 'Eleve', count: this.html.length, ids: this.html },
      {
        kind: 'impossible-birth-date',
        entity: 'Eleve',
        attribute: 'ENTPersonDateNaissance',
        count: this.birthDate.length,
        ids: this.birthDate,
      },
      {
        kind: 'double-escaped-apostrophe',
        entity: 'PersEducNat',
        attribute: 'ENTPersonFonctions',
        count: chiefs.length,
        ids: chiefs,
      },
      {
        kind: 'unknown-attribute',
        entity: 'PersRelEleve',
        attribute: UNKNOWN_ATTRIBUTE,
        count: this.unknown.length,
        ids: this.unknown,
      },
      {
        kind: 'dir-function-without-fonction-dir',
        entity: 'PersEducNat',
        attribute: 'ENTEnsFonctionDir',
        count: this.dirWithoutFonctionDir.length,
        ids: this.dirWithoutFonctionDir,
      },
      {
        kind: 'unknown-structure-teaching',
        entity: 'PersEducNat',
        attribute: 'ENTAuxEnsClassesMatieres',
        count: this.unknownStructure.length,
        ids: this.unknownStructure,
      },
      {
        kind: 'non-latin-names',
        entity: 'PersRelEleve',
        count: this.nonLatin.length,
        ids: this.nonLatin,
      },
      ...(this.#shared && this.#level === '1d'
        ? [
            {
              kind: 'ine-shared-with-college' as const,
              entity: 'Eleve',
              attribute: 'ENTEleveINE',
              count: this.sharedIne.length,
              ids: this.sharedIne.map((pair) => pair.split('$')[0]!),
              pairs: this.sharedIne,
            },
          ]
        : []),
    ];
  }
}
