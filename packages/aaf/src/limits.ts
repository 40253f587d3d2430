/**
 * Bounds on what one input may make the reader hold or do, so that a hostile file (deep
 * nesting, attribute floods, archive bombs) fails fast with its own error code instead of
 * exhausting the heap. The defaults are far above real AAF exports; services take them from
 * the configuration (`AAF_MAX_*`, packages/config).
 */
export interface AafLimits {
  /** Element nesting depth (an AAF file needs 5: root, request, section, attr, value). */
  readonly maxDepth: number;
  /** XML attributes on one element (AAF elements carry at most 2: `name`, `operation`). */
  readonly maxXmlAttributes: number;
  /** Distinct `<attr>` / `<modification>` names in one request. */
  readonly maxAttributes: number;
  /** `<value>`s of one attribute in one request. */
  readonly maxValues: number;
  /** Requests in one file (the reader keeps the id of each, to detect duplicates). */
  readonly maxRecords: number;
  /** Uncompressed bytes of one XML file (loose, or one member of an archive). */
  readonly maxFileBytes: number;
  /** Uncompressed bytes of one archive (all its members), and its number of members. */
  readonly maxArchiveBytes: number;
  readonly maxArchiveEntries: number;
  /** Uncompressed bytes of everything given to one `openDeliveries` call (one ingest). */
  readonly maxDeliveryBytes: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_AAF_LIMITS: AafLimits = Object.freeze({
  maxDepth: 32,
  maxXmlAttributes: 32,
  maxAttributes: 200,
  maxValues: 10_000,
  maxRecords: 2_000_000,
  maxFileBytes: 4 * GiB,
  maxArchiveBytes: 16 * GiB,
  maxArchiveEntries: 10_000,
  maxDeliveryBytes: 32 * GiB,
});

/** The defaults, overridden by what is given. */
export function aafLimits(overrides: Partial<AafLimits> = {}): AafLimits {
  return { ...DEFAULT_AAF_LIMITS, ...overrides };
}
