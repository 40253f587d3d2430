import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SAMPLE_2D = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');

/**
 * The 2D sample complete (collège 910001, UAI 0990001N) re-dated `yyyymmdd`, with text edits
 * applied to its pupil file only: a delivery folder in `dir`.
 */
export function sampleComplete(
  dir: string,
  date: string,
  pupilEdits: readonly (readonly [string, string])[] = [],
): string {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(SAMPLE_2D)) {
    if (name.endsWith('.dtd')) {
      copyFileSync(join(SAMPLE_2D, name), join(dir, name));
      continue;
    }
    if (!name.includes('_Complet_')) continue;
    let text = readFileSync(join(SAMPLE_2D, name), 'utf8');
    if (name.includes('_Eleve_')) for (const [a, b] of pupilEdits) text = text.split(a).join(b);
    writeFileSync(join(dir, name.replace(/_\d{8}_/, `_${date}_`)), text);
  }
  return dir;
}
