import { parseArgs } from 'node:util';
import { generateAcademie } from '@aaf-sync/generator';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';

const USAGE = `aaf-sync generate --out <dir> --seed <n> --persons <n> [options]

Writes a synthetic académie in the AAF format: a Complet (and Deltas), the DTD and manifest.json
with the expected content. Same options → byte-identical files.

  --out <dir>            output folder (created when missing)
  --seed <n>             seed of every random choice (0..4294967295)
  --persons <n>          persons of the Complet: pupils + relatives + staff
  --deltas <n>           Delta deliveries on the following week days (default 0)
  --level 2d|1d|both     which deliveries (default 2d; both → sub-folders 2d/ and 1d/)
  --scope <CODE>         scope token of file names and académie name (default TEST)
  --date <YYYY-MM-DD>    date of the Complet (default 2024-09-07)
  --uai-offset <n>       establishments numbered before this académie's UAIs (default 0): a
                         second académie (other --scope and --seed) reuses the jointures of the
                         first, as real académies do, with UAIs of its own
  --quirks               inject real-world oddities and invalid records (listed in the manifest)
  --chunk-size <n>       records per file chunk (default 50000)
  --archive              also pack each delivery as ENT2D.<date>.Complet.tgz / ….Delta.tgz
  --json                 print the result as JSON`;

function toInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw CliErrors.USAGE({ problem: `--${name} expects a whole number, got "${value}"` });
  return Number(value);
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write a synthetic académie (AAF Complet + Deltas) with its manifest',
  usage: USAGE,
  async run({ argv, log, stdout }) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          out: { type: 'string' },
          seed: { type: 'string' },
          persons: { type: 'string' },
          deltas: { type: 'string' },
          level: { type: 'string' },
          scope: { type: 'string' },
          date: { type: 'string' },
          'uai-offset': { type: 'string' },
          quirks: { type: 'boolean' },
          'chunk-size': { type: 'string' },
          archive: { type: 'boolean' },
          json: { type: 'boolean' },
        },
      }));
    } catch (err) {
      throw CliErrors.USAGE({
        problem: `${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`,
      });
    }
    const started = performance.now();
    const result = await generateAcademie({
      out: values.out as string,
      seed: toInt('seed', values.seed) as number,
      persons: toInt('persons', values.persons) as number,
      deltas: toInt('deltas', values.deltas),
      level: values.level as '2d' | '1d' | 'both' | undefined,
      scope: values.scope,
      date: values.date,
      uaiOffset: toInt('uai-offset', values['uai-offset']),
      quirks: values.quirks,
      chunkSize: toInt('chunk-size', values['chunk-size']),
      archive: values.archive,
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = {
      out: result.out,
      manifest: result.manifestPath,
      deliveries: result.manifest.deliveries.length,
      files: result.files,
      bytes: result.bytes,
      seconds: Math.round(seconds * 10) / 10,
    };
    log.info(summary, 'académie generated');
    stdout.write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `${summary.deliveries} deliveries, ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.out} (${summary.seconds} s)\n`,
    );
    return 0;
  },
};
