import { AafErrors } from '../errors.js';
import { parseAafFileName } from '../file-name.js';
import { aafLimits, type AafLimits } from '../limits.js';
import {
  ENTITY_ORDER,
  type AafDelivery,
  type AafDeliveryFile,
  type AafFileName,
  type Level,
} from '../model.js';
import { candidatesOf, type Candidate } from './delivery-sources.js';

export interface OpenDeliveriesOptions {
  /** Size bounds (DEFAULT_AAF_LIMITS for what is not given). */
  readonly limits?: Partial<AafLimits>;
}

interface Group {
  readonly key: string;
  readonly first: AafFileName;
  readonly level: Level | null;
  readonly files: AafDeliveryFile[];
  readonly containers: Set<string>;
  readonly archives: Set<string | null>;
  readonly ignored: { name: string; reason: string }[];
}

type Ignored = { name: string; reason: string };

function ignoreReason(c: Candidate): string {
  // AppleDouble `._x.xml` and `__MACOSX/` copies would otherwise parse as AAF names
  if (c.name.startsWith('.') || /(^|[/!])__MACOSX\//.test(c.source)) return 'hidden or system file';
  if (/\.dtd$/i.test(c.name)) return 'DTD: not needed, never read';
  if (!/\.xml$/i.test(c.name)) return 'not an AAF XML file';
  try {
    parseAafFileName(c.name);
    return '';
  } catch (err) {
    return AafErrors.BAD_FILE_NAME.is(err) ? String(err.details.reason) : String(err);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function fileOrder(a: AafDeliveryFile, b: AafDeliveryFile): number {
  const e = ENTITY_ORDER.indexOf(a.fileName.entity) - ENTITY_ORDER.indexOf(b.fileName.entity);
  return e !== 0 ? e : a.fileName.chunk - b.fileName.chunk || cmp(a.source ?? '', b.source ?? '');
}

function deliveryOrder(a: AafDelivery, b: AafDelivery): number {
  return (
    cmp(a.date, b.date) ||
    (a.kind === b.kind ? 0 : a.kind === 'complete' ? -1 : 1) ||
    cmp(a.level ?? '3', b.level ?? '3') ||
    cmp(a.scope ?? '', b.scope ?? '') ||
    cmp(a.name, b.name)
  );
}

function deliveryName(g: Group): string {
  const [archive] = g.archives;
  if (g.archives.size === 1 && archive !== null && archive !== undefined) return archive;
  const kind = g.first.kind === 'complete' ? 'Complet' : 'Delta';
  const stem = `${g.first.prefix}_${kind}_${g.first.date.replaceAll('-', '')}`;
  return g.level === null ? stem : `${stem} (${g.level})`;
}

function addFile(groups: Map<string, Group>, c: Candidate, fileName: AafFileName): void {
  const key = [c.level ?? '', fileName.kind, fileName.date, fileName.scope ?? ''].join('|');
  let group = groups.get(key);
  if (group === undefined) {
    group = {
      key,
      first: fileName,
      level: c.level,
      files: [],
      containers: new Set(),
      archives: new Set(),
      ignored: [],
    };
    groups.set(key, group);
  }
  const twin = group.files.find(
    (f) => f.fileName.entity === fileName.entity && f.fileName.chunk === fileName.chunk,
  );
  if (twin !== undefined) {
    group.ignored.push({ name: c.name, reason: `same entity and chunk as ${twin.source}` });
    return;
  }
  group.containers.add(c.container);
  group.archives.add(c.archive);
  group.files.push({ fileName, size: c.size, source: c.source, open: () => c.open() });
}

/**
 * Finds the AAF deliveries in files, directories (and their sub-directories, one level) and
 * archives (.tgz/.tar.gz/.tar streamed with tar-stream, .zip read with yauzl), groups their XML
 * files by (level, kind, date, scope), and orders everything for processing: deliveries by
 * date, completes before deltas of the same date; files by ENTITY_ORDER then chunk. DTDs and
 * unrelated files go to `ignored`. Nothing is read from the files yet: `open()` streams them.
 *
 * @example
 * for (const delivery of await openDeliveries(['/inbox/ENT2D.20240907.Complet.tgz'])) {
 *   for (const file of delivery.files) read(await file.open(), file.fileName);
 * }
 * Limits (`options.limits`, DEFAULT_AAF_LIMITS otherwise): archives are refused while listed
 * when a member, their total or their member count is too large; the files to read must add up to
 * at most `maxDeliveryBytes`; every file is cut at `maxFileBytes` when streamed.
 * @throws AAF_ERR_BAD_PATH, AAF_ERR_BAD_FILE_NAME (a loose .xml given by path), AAF_ERR_BAD_ARCHIVE,
 * AAF_ERR_FILE_TOO_LARGE, AAF_ERR_ARCHIVE_TOO_LARGE, AAF_ERR_DELIVERY_TOO_LARGE.
 */
export async function openDeliveries(
  paths: readonly string[],
  options: OpenDeliveriesOptions = {},
): Promise<AafDelivery[]> {
  const limits = aafLimits(options.limits);
  const groups = new Map<string, Group>();
  const ignoredBy = new Map<string, Ignored[]>();
  let total = 0;
  const take = (c: Candidate): void => {
    total += c.size;
    if (total > limits.maxDeliveryBytes) {
      throw AafErrors.DELIVERY_TOO_LARGE({ limit: limits.maxDeliveryBytes });
    }
    addFile(groups, c, parseAafFileName(c.name));
  };
  for (const path of paths) {
    const candidates = await candidatesOf(path, limits);
    for (const c of candidates) {
      if (c.source === path) {
        take(c); // a file named by the caller must parse
        continue;
      }
      const reason = ignoreReason(c);
      if (reason === '') take(c);
      else {
        const list = ignoredBy.get(c.container) ?? [];
        list.push({ name: c.name, reason });
        ignoredBy.set(c.container, list);
      }
    }
  }
  const deliveries: AafDelivery[] = [];
  for (const group of groups.values()) {
    const ignored = [...group.ignored];
    for (const container of group.containers) ignored.push(...(ignoredBy.get(container) ?? []));
    deliveries.push({
      name: deliveryName(group),
      kind: group.first.kind,
      date: group.first.date,
      scope: group.first.scope,
      level: group.level,
      files: group.files.sort(fileOrder),
      ignored,
    });
  }
  return deliveries.sort(deliveryOrder);
}
