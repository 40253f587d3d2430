import { AafErrors } from '../errors.js';
import { baseName } from '../file-name.js';
import type { AafLimits } from '../limits.js';

/** What an archive listing has counted so far. */
export interface ArchiveTally {
  entries: number;
  bytes: number;
}

/**
 * Counts one archive member against the limits, from its header, before any of its data is
 * inflated. Messages name the archive and the member by their base names only.
 */
export function checkArchiveEntry(
  path: string,
  entryName: string,
  size: number,
  tally: ArchiveTally,
  limits: AafLimits,
): void {
  const archive = baseName(path);
  if (++tally.entries > limits.maxArchiveEntries) {
    throw AafErrors.ARCHIVE_TOO_LARGE({
      archive,
      reason: `more than ${limits.maxArchiveEntries} members`,
    });
  }
  if (size > limits.maxFileBytes) {
    throw AafErrors.FILE_TOO_LARGE({ fileName: baseName(entryName), limit: limits.maxFileBytes });
  }
  tally.bytes += size;
  if (tally.bytes > limits.maxArchiveBytes) {
    throw AafErrors.ARCHIVE_TOO_LARGE({
      archive,
      reason: `more than ${limits.maxArchiveBytes} bytes uncompressed`,
    });
  }
}
