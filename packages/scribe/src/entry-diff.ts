import type { LdapChange } from '@aaf-sync/ldap';
import type { AttributePolicy } from '@aaf-sync/targets';

type Attrs = Readonly<Record<string, string | readonly string[]>>;
type HeldAttrs = Readonly<Record<string, readonly string[]>>;

/** The non-empty values of one desired attribute (a copy: the caller may keep it). */
const valuesOf = (v: string | readonly string[]): string[] =>
  typeof v === 'string' ? (v === '' ? [] : [v]) : v.filter((x) => x !== '');

/** Desired values by lower-cased attribute name (keys starting with `@` are not LDAP). */
export function ldapAttributes(desired: Attrs): Map<string, { name: string; values: string[] }> {
  const out = new Map<string, { name: string; values: string[] }>();
  for (const name of Object.keys(desired)) {
    if (name.startsWith('@')) continue;
    const values = valuesOf(desired[name]!);
    if (values.length > 0) out.set(name.toLowerCase(), { name, values });
  }
  return out;
}

type Rules = readonly (readonly [name: string, key: string, rule: AttributePolicy])[];

/** A policy's rules with their lower-cased names, worked out once per policy object. */
const rulesOf = new WeakMap<object, Rules>();
function rules(policy: Readonly<Record<string, AttributePolicy>>): Rules {
  let r = rulesOf.get(policy);
  if (!r) {
    r = Object.entries(policy).map(([name, rule]) => [name, name.toLowerCase(), rule] as const);
    rulesOf.set(policy, r);
  }
  return r;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  return [...a].sort().join('\0') === [...b].sort().join('\0');
}

/**
 * The minimal modify turning `held` (lower-cased names) into `desired`, for the attributes of
 * `policy` only (others are not ours: never touched): `force` — replaced when the values differ,
 * deleted when nothing is desired; `keep` — written only when absent; `merge` — desired values
 * added, others left (compared case-insensitively, as object classes are). `ignore`: lower-cased
 * names left out (values `desired` cannot know, e.g. allocated numbers, in a pure comparison).
 */
export function entryChanges(
  held: HeldAttrs,
  desired: Attrs,
  policy: Readonly<Record<string, AttributePolicy>>,
  ignore: ReadonlySet<string> = new Set(),
): LdapChange[] {
  // Called once per account by a full reconcile: one pass over each side, no sorting when a
  // single value is compared.
  const want = ldapAttributes(desired);
  const changes: LdapChange[] = [];
  for (const [name, key, rule] of rules(policy)) {
    if (ignore.has(key)) continue;
    const d = want.get(key)?.values ?? [];
    const h = held[key] ?? [];
    if (rule === 'force') {
      if (!sameSet(d, h)) changes.push({ operation: 'replace', attribute: name, values: d });
    } else if (rule === 'keep') {
      if (h.length === 0 && d.length > 0) {
        changes.push({ operation: 'replace', attribute: name, values: d });
      }
    } else {
      const have = new Set(h.map((v) => v.toLowerCase()));
      const missing = d.filter((v) => !have.has(v.toLowerCase()));
      if (missing.length > 0) changes.push({ operation: 'add', attribute: name, values: missing });
    }
  }
  return changes;
}

/** Every LDAP attribute of the desired entry, for an add. */
export function entryForAdd(desired: Attrs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name, values } of ldapAttributes(desired).values()) out[name] = values;
  return out;
}
