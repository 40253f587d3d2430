import type { Profile } from '@aaf-sync/db';
import type { AttributePolicy } from '@aaf-sync/targets';
import type { ScribeProfile } from './profile.js';
import { policyFor } from './profile.js';

type Held = Readonly<Record<string, readonly string[]>>;
type Desired = Readonly<Record<string, string | readonly string[]>>;

const KINDS: readonly Profile[] = ['pupil', 'teacher', 'staff', 'relative'];
/** Between the values of one attribute, between attributes, before a count of values. */
const VALUE = '\u0000';
const ATTRIBUTE = '\u0001';
const COUNT = '\u0002';

/** How the entries of a profile are compared: the slots of the attributes it owns, by rule. */
export interface DigestPlan {
  readonly force: readonly number[];
  readonly keep: readonly number[];
  readonly merge: readonly number[];
}

/**
 * What a full reconcile compares of one entry, held or desired, for one profile's plan: a few
 * strings instead of the entry's attributes (made once per entry, compared per account).
 */
export interface EntryDigest {
  readonly plan: DigestPlan;
  /** The `force` attributes' values (several sorted), in the plan's order. */
  readonly force: string;
  /** Per `keep` attribute, `1` when it has a value (held: it has one; desired: one is wanted). */
  readonly keep: string;
  /** The `merge` attributes' values lower-cased (held: all of them; desired: those needed). */
  readonly merge: string;
  /** The managed groups (`<uai>/<type>/<cn>`), sorted (a held entry's: set once all are read). */
  groups: string;
}

/** A held entry's digests: one per plan its entry may be compared under (one, as a rule). */
export type HeldDigest = EntryDigest | readonly EntryDigest[];

/** One attribute's values as the digest writes them: a single value as is, several sorted. */
function encode(values: readonly string[]): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${COUNT}${values.length}${VALUE}${[...values].sort().join(VALUE)}`;
}

const lowered = (values: readonly string[]) =>
  values.length === 1
    ? values[0]!.toLowerCase()
    : values
        .map((v) => v.toLowerCase())
        .sort()
        .join(VALUE);

/**
 * The comparison `inSync` makes with `entryChanges` (force: same values; keep: present when one
 * is wanted; merge: every wanted value there, case-insensitively; the groups equal), split into
 * a digest of each side. The held side is digested while the inventory is read, so a target's
 * entries are kept as a few strings each instead of their attributes (a 50,000-account
 * reconcile spent most of its time collecting those). `ignore`: lower-cased names not compared
 * (allocated numbers). A held entry's profile is told by its `ENTPersonProfils` when every
 * profile forces that attribute to its own value (the default): then an entry holding another
 * profile's value differs anyway; otherwise it is digested under every profile's plan.
 */
export function entryDigester(profile: ScribeProfile, ignore: ReadonlySet<string>) {
  const slotOf = new Map<string, number>();
  const slot = (key: string) => {
    let n = slotOf.get(key);
    if (n === undefined) slotOf.set(key, (n = slotOf.size));
    return n;
  };
  const plans = new Map<string, DigestPlan>();
  const planOf = new Map<Profile, DigestPlan>();
  const rulesOf = new Map<Profile, Record<string, AttributePolicy>>();
  for (const kind of KINDS) {
    const rules = policyFor(profile, kind);
    rulesOf.set(kind, rules);
    const plan: { force: number[]; keep: number[]; merge: number[] } = {
      force: [],
      keep: [],
      merge: [],
    };
    for (const [name, rule] of Object.entries(rules)) {
      const key = name.toLowerCase();
      if (!ignore.has(key)) plan[rule].push(slot(key));
    }
    const signature = JSON.stringify(plan);
    planOf.set(kind, plans.get(signature) ?? (plans.set(signature, plan), plan));
  }
  const slots = slotOf.size;

  // Whether `ENTPersonProfils` tells a held entry's profile (see above).
  const profils = 'entpersonprofils';
  const told =
    KINDS.every((k) => {
      const rules = Object.entries(rulesOf.get(k)!).filter(([n]) => n.toLowerCase() === profils);
      return rules.length > 0 && rules.every(([, rule]) => rule === 'force');
    }) &&
    !KINDS.some((k) =>
      Object.keys(profile.extraAttributes[k]).some((n) => n.toLowerCase() === profils),
    ) &&
    !ignore.has(profils);
  const kindsOf = new Map<string, Profile[]>();
  for (const k of KINDS)
    kindsOf.set(profile.profils[k], [...(kindsOf.get(profile.profils[k]) ?? []), k]);
  const allPlans = [...new Set(planOf.values())];
  const plansOf = new Map(
    [...kindsOf].map(([value, kinds]) => [value, [...new Set(kinds.map((k) => planOf.get(k)!))]]),
  );

  const interned = new Map<string, string>();
  const intern = (s: string) => {
    const known = interned.get(s);
    if (known !== undefined) return known;
    if (interned.size < 10_000) interned.set(s, s);
    return s;
  };
  /** Merge values as digested, by their values as read (object classes: the same few lists). */
  const loweredOf = new Map<string, string>();
  const mergeOf = (values: readonly string[]) => {
    if (values.length === 0) return '';
    const raw = values.join(VALUE);
    let low = loweredOf.get(raw);
    if (low === undefined) {
      low = lowered(values);
      if (loweredOf.size > 1_000) loweredOf.clear();
      loweredOf.set(raw, low);
    }
    return low;
  };
  /** Slots by attribute name as written (the desired side's names, the server's). */
  const slotByName = new Map<string, number>();
  const slotFor = (name: string) => {
    let i = slotByName.get(name);
    if (i === undefined) {
      i = slotOf.get(name.toLowerCase()) ?? -1;
      if (slotByName.size < 10_000) slotByName.set(name, i);
    }
    return i;
  };
  const parts: string[] = [];
  const digest = (
    plan: DigestPlan,
    values: readonly (readonly string[] | undefined)[],
    groups: string,
    held: boolean,
  ): EntryDigest => {
    parts.length = 0;
    for (const i of plan.force) parts.push(encode(values[i] ?? []), ATTRIBUTE);
    const force = parts.join('');
    let keep = '';
    for (const i of plan.keep) keep += (values[i]?.length ?? 0) > 0 ? '1' : '0';
    parts.length = 0;
    for (const i of plan.merge) parts.push(mergeOf(values[i] ?? []), ATTRIBUTE);
    const merge = parts.join('');
    return { plan, force, keep: intern(keep), merge: held ? intern(merge) : merge, groups };
  };

  const subsets = new Map<string, boolean>();
  /** Every wanted value of each merge attribute is held (case-insensitively). */
  const merged = (held: string, desired: string) => {
    if (desired === held) return true;
    const key = `${held}${COUNT}${desired}`;
    let ok = subsets.get(key);
    if (ok === undefined) {
      const have = held.split(ATTRIBUTE).map((s) => new Set(s.split(VALUE)));
      ok = desired
        .split(ATTRIBUTE)
        .every((s, i) => s === '' || s.split(VALUE).every((v) => have[i]!.has(v)));
      if (subsets.size > 1_000) subsets.clear();
      subsets.set(key, ok);
    }
    return ok;
  };

  return {
    /** Every plan, in a fixed order (the same for the same profile: an index names one). */
    plans: allPlans as readonly DigestPlan[],

    /** The digest of a desired entry (`@profile` names its profile; `@groups` its groups). */
    desired(attributes: Desired, kind: Profile, groups: readonly string[]): EntryDigest {
      const values: (readonly string[] | undefined)[] = new Array<undefined>(slots);
      for (const name of Object.keys(attributes)) {
        const i = slotFor(name);
        if (i < 0) continue;
        const v = attributes[name]!;
        const list = typeof v === 'string' ? (v === '' ? [] : [v]) : v.filter((x) => x !== '');
        if (list.length > 0) values[i] = list;
      }
      return digest(planOf.get(kind)!, values, [...groups].sort().join('\n'), false);
    },

    /** The digest(s) of a held entry (names lower-cased, as read), with its managed groups. */
    held(attributes: Held, groups: readonly string[]): HeldDigest {
      const values: (readonly string[] | undefined)[] = new Array<undefined>(slots);
      for (const name of Object.keys(attributes)) {
        const i = slotFor(name);
        if (i >= 0) values[i] = attributes[name];
      }
      const joined = intern([...groups].sort().join('\n'));
      const own = attributes[profils];
      const candidates = !told ? allPlans : own?.length === 1 ? (plansOf.get(own[0]!) ?? []) : [];
      if (candidates.length === 1) return digest(candidates[0]!, values, joined, true);
      return candidates.map((p) => digest(p, values, joined, true));
    },

    /** Whether the held entry needs no write for the desired one (what `entryChanges` says). */
    inSync(held: HeldDigest, desired: EntryDigest): boolean {
      const h = Array.isArray(held)
        ? (held as readonly EntryDigest[]).find((d) => d.plan === desired.plan)
        : (held as EntryDigest);
      if (!h || h.plan !== desired.plan) return false;
      if (h.force !== desired.force || h.groups !== desired.groups) return false;
      for (let i = 0; i < desired.keep.length; i += 1) {
        if (desired.keep.charCodeAt(i) === 49 && h.keep.charCodeAt(i) !== 49) return false;
      }
      return merged(h.merge, desired.merge);
    },
  };
}

export type EntryDigester = ReturnType<typeof entryDigester>;
