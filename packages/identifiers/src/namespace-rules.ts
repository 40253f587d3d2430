import { IdentifierErrors } from './errors.js';

/** `p.nom`: initial, dot, surname (`j.martin`); `pnom`: initial and surname glued (`jmartin`). */
export type IdentifierFormat = 'p.nom' | 'pnom';

/** How identifiers of one namespace (one target system) are built and validated. */
export interface NamespaceRule {
  readonly name: string;
  readonly format: IdentifierFormat;
  /** Total length, homonym number included (the name part is truncated, never the number). */
  readonly maxLength: number;
  /** Number given to the second holder of a base (the first holder gets the bare form). */
  readonly numberStart: number;
  /** Characters an administrator-chosen value may never contain (named in the error). */
  readonly forbidden: RegExp;
  /** Shape every value of the namespace has, allocated or chosen by an administrator. */
  readonly pattern: RegExp;
  /** Human wording of `pattern`, used in validation errors. */
  readonly patternText: string;
  /** Values never handed out (system accounts of the target); allocation skips them. */
  readonly reserved: ReadonlySet<string>;
  /** Why the limits are what they are (shown by the CLI and the README). */
  readonly description: string;
}

type Preset = Omit<NamespaceRule, 'name' | 'numberStart'>;

/** Letters and digits, single `.` or `-` between them, starting with a letter. */
const SHAPE = /^[a-z](?:[a-z0-9]|[.-](?=[a-z0-9]))*$/;
const SHAPE_TEXT =
  'lowercase a-z and 0-9 only, starting with a letter, with single "." or "-" between them';
/** Active Directory's sAMAccountName exclusions, plus whitespace, quotes and "@". */
const AD_FORBIDDEN = /["'/\\[\]:;|=,+*?<>@\s]/u;

const SYSTEM_ACCOUNTS = [
  'admin',
  'administrateur',
  'administrator',
  'guest',
  'invite',
  'krbtgt',
  'nobody',
  'root',
];

/**
 * The namespaces aaf-sync knows. Maximum lengths: `koxo` is an Active Directory
 * `sAMAccountName` (20 characters, the legacy logon-name limit AD clients still enforce);
 * `scribe` follows EOLE Scribe / SambaEdu logon names (19 characters, which also fits the
 * Samba AD that Scribe ≥ 2.7 replicates to); `educonnect` has no published limit, 32 keeps
 * `p.` plus a 26-letter surname plus a 4-digit number, well under ENT NG's own 64.
 */
export const NAMESPACE_PRESETS: Readonly<Record<string, Preset>> = {
  educonnect: {
    format: 'p.nom',
    maxLength: 32,
    forbidden: AD_FORBIDDEN,
    pattern: SHAPE,
    patternText: SHAPE_TEXT,
    reserved: new Set(SYSTEM_ACCOUNTS),
    description: 'EduConnect-style identifier, p.nom, at most 32 characters',
  },
  scribe: {
    format: 'pnom',
    maxLength: 19,
    forbidden: AD_FORBIDDEN,
    pattern: SHAPE,
    patternText: SHAPE_TEXT,
    reserved: new Set([...SYSTEM_ACCOUNTS, 'netlogon', 'profiles', 'homes', 'public']),
    description: 'EOLE Scribe (OpenLDAP uid) login, pnom, at most 19 characters',
  },
  koxo: {
    format: 'pnom',
    maxLength: 20,
    forbidden: AD_FORBIDDEN,
    pattern: SHAPE,
    patternText: SHAPE_TEXT,
    reserved: new Set([...SYSTEM_ACCOUNTS, 'netlogon', 'sysvol']),
    description: 'KoXo / Active Directory sAMAccountName, pnom, at most 20 characters',
  },
};

/** Shortest maximum length accepted: room for an initial, a name letter and a large number. */
const MIN_MAX_LENGTH = 8;

/**
 * The rules of the configured namespaces, in configuration order (`config.identifiers`).
 * Throws `IDENTIFIERS_ERR_UNKNOWN_NAMESPACE` for a name without a preset, so a typo in
 * IDENTIFIER_NAMESPACES stops the service at start instead of allocating nothing.
 *
 * @example
 * const rules = namespaceRules(config.identifiers); // educonnect, scribe, koxo
 */
export function namespaceRules(settings: {
  readonly namespaces: readonly string[];
  readonly numberStart: number;
}): NamespaceRule[] {
  if (!Number.isInteger(settings.numberStart) || settings.numberStart < 0) {
    throw IdentifierErrors.INVALID_RULE({
      namespace: settings.namespaces.join(','),
      reason: `numberStart must be a non-negative integer, got ${settings.numberStart}`,
    });
  }
  const names = [...new Set(settings.namespaces)];
  return names.map((name) => {
    const preset = Object.hasOwn(NAMESPACE_PRESETS, name) ? NAMESPACE_PRESETS[name] : undefined;
    if (!preset) {
      throw IdentifierErrors.UNKNOWN_NAMESPACE({
        namespace: name,
        known: Object.keys(NAMESPACE_PRESETS).join(', '),
      });
    }
    return checkRule({ ...preset, name, numberStart: settings.numberStart });
  });
}

/** Rejects rules whose numbers could leave no room for the name part. */
export function checkRule(rule: NamespaceRule): NamespaceRule {
  if (!Number.isInteger(rule.maxLength) || rule.maxLength < MIN_MAX_LENGTH) {
    throw IdentifierErrors.INVALID_RULE({
      namespace: rule.name,
      reason: `maxLength must be an integer >= ${MIN_MAX_LENGTH}`,
    });
  }
  return Object.freeze(rule);
}

/** The rule of `namespace` among `rules`, or `IDENTIFIERS_ERR_UNKNOWN_NAMESPACE`. */
export function ruleFor(rules: readonly NamespaceRule[], namespace: string): NamespaceRule {
  const rule = rules.find((r) => r.name === namespace);
  if (!rule) {
    throw IdentifierErrors.UNKNOWN_NAMESPACE({
      namespace,
      known: rules.map((r) => r.name).join(', '),
    });
  }
  return rule;
}
