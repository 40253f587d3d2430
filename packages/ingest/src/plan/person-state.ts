import type {
  FunctionRef,
  Level,
  PersonCategory,
  PersonRecord,
  Profile,
  RelativeRef,
  TeachingRef,
} from '@aaf-sync/aaf';

/** The person columns of the directory, in the camelCase used by events and the API. */
export interface PersonColumns {
  /** Académie scope (absent from plans held before it was recorded). */
  readonly scope?: string;
  readonly category: PersonCategory;
  readonly profile: Profile;
  readonly level: Level;
  readonly givenName: string;
  readonly sn: string;
  readonly birthName: string | null;
  readonly birthDate: string | null;
  readonly civility: string | null;
  readonly ine: string | null;
  readonly mail: string | null;
  readonly primaryStructure: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface MembershipRef {
  readonly kind: 'class' | 'group';
  readonly structure: string;
  readonly code: string;
  readonly label: string;
}

export interface HeadTeacherRef {
  readonly structure: string;
  readonly code: string;
}

/** Everything a person owns in the link tables, keyed for set differences. */
export interface PersonLinks {
  readonly structures: ReadonlyMap<string, string>;
  readonly memberships: ReadonlyMap<string, MembershipRef>;
  readonly relatives: ReadonlyMap<string, RelativeRef>;
  readonly teaching: ReadonlyMap<string, TeachingRef>;
  readonly headTeacher: ReadonlyMap<string, HeadTeacherRef>;
  readonly functions: ReadonlyMap<string, FunctionRef>;
  readonly direction: ReadonlyMap<string, string>;
}

export const LINK_KINDS = [
  'structures',
  'memberships',
  'relatives',
  'teaching',
  'headTeacher',
  'functions',
  'direction',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const keyOf = {
  membership: (m: { kind: string; structure: string; code: string }) =>
    `${m.kind}:${m.structure}$${m.code}`,
  teaching: (t: TeachingRef) => `${t.structure}|${t.kind}|${t.code}|${t.subject}`,
  headTeacher: (h: HeadTeacherRef) => `${h.structure}|${h.code}`,
  function: (f: FunctionRef) => `${f.structure}|${f.code}|${f.disciplineCode}`,
};

export function emptyLinks(): PersonLinks {
  return {
    structures: new Map(),
    memberships: new Map(),
    relatives: new Map(),
    teaching: new Map(),
    headTeacher: new Map(),
    functions: new Map(),
    direction: new Map(),
  };
}

function byKey<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

export function columnsOf(record: PersonRecord, scope: string): PersonColumns {
  return {
    scope,
    category: record.category,
    profile: record.profile,
    level: record.level,
    givenName: record.givenName,
    sn: record.sn,
    birthName: record.birthName,
    birthDate: record.birthDate,
    civility: record.civility,
    ine: record.ine,
    mail: record.mail,
    primaryStructure: record.primaryStructure,
    details: record.details,
  };
}

/**
 * The links a record asks for. Relatives own no structure of their own: theirs are those of their
 * pupils, recomputed after every import (see apply/relative-structures.ts).
 */
export function linksOf(record: PersonRecord): PersonLinks {
  const memberships = [
    ...record.classes.map((c) => ({ kind: 'class' as const, ...c })),
    ...record.groups.map((g) => ({ kind: 'group' as const, ...g })),
  ];
  const structures = record.category === 'relative' ? [] : record.structures;
  return {
    structures: byKey(structures, (s) => s),
    memberships: byKey(memberships, keyOf.membership),
    relatives: byKey(record.relatives, (r) => r.jointure),
    teaching: byKey(record.teaching, keyOf.teaching),
    headTeacher: byKey(record.headTeacher, keyOf.headTeacher),
    functions: byKey(record.functions, keyOf.function),
    direction: byKey(record.direction, (d) => d),
  };
}
