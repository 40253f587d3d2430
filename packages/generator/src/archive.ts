import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { GeneratorErrors } from './errors.js';
import { parseDay } from './calendar.js';

/** `ENT2D.20240907.Complet.tgz` / `ENT1D.20240910.Delta.tgz`. */
export function archiveName(level: '2d' | '1d', kind: 'complete' | 'delta', day: string): string {
  return `ENT${level === '2d' ? '2D' : '1D'}.${day.replaceAll('-', '')}.${kind === 'complete' ? 'Complet' : 'Delta'}.tgz`;
}

/**
 * Packs files of `dir` into a gzip tar as AAF deliveries travel, streaming each file (no file is
 * held in memory). Entries carry the delivery date and no owner, so the archive is reproducible.
 */
export async function packArchive(
  dir: string,
  name: string,
  files: readonly string[],
  day: string,
): Promise<void> {
  const pack = tar.pack();
  const out = join(dir, name);
  const done = pipeline(pack, createGzip({ level: 6 }), createWriteStream(out));
  const mtime = parseDay(day);
  try {
    for (const file of files) {
      const path = join(dir, file);
      const { size } = await stat(path);
      const entry = pack.entry({
        name: file,
        size,
        mtime,
        mode: 0o644,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
      });
      await pipeline(createReadStream(path), entry);
    }
    pack.finalize();
    await done;
  } catch (err) {
    pack.destroy();
    await done.catch(() => undefined);
    throw GeneratorErrors.OUTPUT_FAILED({ path: out, reason: String(err) }, { cause: err });
  }
}
