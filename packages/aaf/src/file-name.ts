import { AafErrors } from './errors.js';
import { ENTITY_ORDER, type AafEntity, type AafFileName, type AafKind } from './model.js';

const KINDS: Readonly<Record<string, AafKind>> = { complet: 'complete', delta: 'delta' };
const ENTITIES: ReadonlyMap<string, AafEntity> = new Map(
  ENTITY_ORDER.map((e) => [e.toLowerCase(), e]),
);

/** The base name of a path (`/a/b/c.xml` → `c.xml`, also for archive entries `dir/c.xml`). */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? path : path.slice(cut + 1);
}

/**
 * Checks a `YYYYMMDD` token and returns `YYYY-MM-DD`, or null when it is not a real calendar
 * date (`20240230` is refused).
 */
export function compactDate(token: string): string | null {
  if (!/^\d{8}$/.test(token)) return null;
  const y = Number(token.slice(0, 4));
  const m = Number(token.slice(4, 6));
  const d = Number(token.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${token.slice(0, 4)}-${token.slice(4, 6)}-${token.slice(6, 8)}`;
}

function fail(name: string, reason: string): never {
  throw AafErrors.BAD_FILE_NAME({ fileName: name, reason });
}

/**
 * Reads what an AAF XML file name tells: `<prefix>[_<scope>]_<Complet|Delta>_<YYYYMMDD>_<Entity>_<NNNN>.xml`.
 * The entity is the token right after the date, so `…_PersRelEleve_0000.xml` is never taken
 * for `Eleve`. Tokens and the extension are matched case-insensitively; the date must be a
 * real calendar date. Folders in `name` are ignored.
 *
 * @example
 * parseAafFileName('ENT_TEST_Complet_20240907_Eleve_0000.xml');
 * // { name, prefix: 'ENT_TEST', scope: 'TEST', kind: 'complete', date: '2024-09-07', entity: 'Eleve', chunk: 0 }
 * @throws AAF_ERR_BAD_FILE_NAME naming the file and what is wrong.
 */
export function parseAafFileName(name: string): AafFileName {
  const base = baseName(name);
  if (!/\.xml$/i.test(base)) fail(base, 'the extension must be .xml');
  const tokens = base.slice(0, -4).split('_');
  const kindAt = tokens.length - 4;
  if (kindAt < 0 || KINDS[tokens[kindAt]!.toLowerCase()] === undefined) {
    const found = tokens.findIndex((t) => KINDS[t.toLowerCase()] !== undefined);
    if (found < 0) fail(base, 'no Complet or Delta token');
    const after = tokens.length - found - 1;
    fail(
      base,
      `expected <YYYYMMDD>_<Entity>_<NNNN> after ${tokens[found]}, found ${after} token(s)`,
    );
  }
  if (kindAt === 0) fail(base, 'no prefix before the Complet/Delta token (expected ENT_…)');
  const rest = tokens.slice(kindAt + 1);
  const [dateToken, entityToken, chunkToken] = rest as [string, string, string];
  const date = compactDate(dateToken);
  if (date === null) fail(base, `date "${dateToken}" is not a real YYYYMMDD date`);
  const entity = ENTITIES.get(entityToken.toLowerCase());
  if (entity === undefined) {
    fail(base, `unknown entity "${entityToken}" (expected one of ${ENTITY_ORDER.join(', ')})`);
  }
  if (!/^\d{1,6}$/.test(chunkToken)) fail(base, `chunk "${chunkToken}" is not a number`);
  const prefixTokens = tokens.slice(0, kindAt);
  if (prefixTokens.some((t) => t === '')) fail(base, 'empty token in the prefix');
  return {
    name: base,
    prefix: prefixTokens.join('_'),
    scope: prefixTokens.length > 1 ? prefixTokens.slice(1).join('_') : null,
    kind: KINDS[tokens[kindAt]!.toLowerCase()]!,
    date,
    entity,
    chunk: Number(chunkToken),
  };
}

/** True when `name` is a well-formed AAF XML file name (see parseAafFileName). */
export function isAafXmlName(name: string): boolean {
  try {
    parseAafFileName(name);
    return true;
  } catch {
    return false;
  }
}
