import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { archiveName, packArchive } from './archive.js';
import { followingWeekDays, schoolYearOf } from './calendar.js';
import { writeComplete } from './complete-delivery.js';
import { writeDelta } from './delta-delivery.js';
import { DTD_FILE, FIC_ALIM_DTD } from './dtd.js';
import { GeneratorErrors } from './errors.js';
import type { LevelContext } from './level-context.js';
import type { DeliveryManifest, Manifest } from './manifest.js';
import {
  parseGenerateOptions,
  type GenerateOptions,
  type GenerateOptionsInput,
} from './options.js';
import { planLevel, type LevelPlan, type SchoolLevel } from './plan.js';

export interface GenerateResult {
  /** Absolute output folder. */
  readonly out: string;
  readonly manifestPath: string;
  readonly manifest: Manifest;
  /** XML files written and their total size in bytes (archives and DTDs not counted). */
  readonly files: number;
  readonly bytes: number;
}

/** Optional observers (progress display, memory tests). */
export interface GenerateHooks {
  /** Called after each delivery is complete. */
  readonly onDelivery?: (delivery: DeliveryManifest) => void;
}

/** Share of persons in 2D when both levels are generated. */
const SHARE_2D = 0.55;
const ID_START = 2_000_000;

/**
 * Generates a synthetic académie on disk: for each level a Complet, then `deltas` Deltas on the
 * following week days, the DTD, optional `.tgz` archives, and `manifest.json` with the expected
 * content. Same options → byte-identical files.
 *
 * @example
 * const { manifest } = await generateAcademie({ out: '/tmp/aaf', seed: 1, persons: 5000, deltas: 2 });
 */
export async function generateAcademie(
  input: GenerateOptionsInput,
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  const options = parseGenerateOptions(input);
  const out = resolve(options.out);
  const levels: SchoolLevel[] = options.level === 'both' ? ['2d', '1d'] : [options.level];
  const deliveries: DeliveryManifest[] = [];
  let previous: LevelPlan | null = null;
  // Both levels with quirks: the 1D Complet still lists some pupils the 2D one has in 6e.
  const sharedInes = options.level === 'both' && options.quirks ? [] : undefined;
  for (const level of levels) {
    const persons = levelPersons(options, level);
    const idStart = previous ? ID_START + reserve(previous.persons) : ID_START;
    const plan = planLevel(options.seed, level, persons, {
      idStart,
      uaiOffset: (options.uaiOffset ?? 0) + (previous ? previous.establishments.length : 0),
      secondAcademy: (options.uaiOffset ?? 0) > 0,
      academy: options.scope,
    });
    const relDir = options.level === 'both' ? level : '.';
    const ctx: LevelContext = {
      options,
      plan,
      dir: join(out, relDir),
      relDir,
      schoolYear: schoolYearOf(options.date),
      ...(sharedInes ? { sharedInes } : {}),
    };
    await prepareDir(ctx.dir);
    for (const d of await writeLevel(ctx)) {
      deliveries.push(d);
      hooks.onDelivery?.(d);
    }
    previous = plan;
  }
  const { out: _out, ...rest } = options;
  const manifest: Manifest = {
    format: 'aaf-sync-generator/1',
    seed: options.seed,
    options: rest,
    deliveries,
  };
  const manifestPath = join(out, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const files = deliveries.flatMap((d) => d.files);
  return {
    out,
    manifestPath,
    manifest,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
  };
}

function levelPersons(options: GenerateOptions, level: SchoolLevel): number {
  if (options.level !== 'both') return options.persons;
  const twoD = Math.round(options.persons * SHARE_2D);
  return level === '2d' ? twoD : options.persons - twoD;
}

/** Jointures kept for a level's Complet, quirk records and Delta arrivals. */
function reserve(persons: number): number {
  return Math.ceil((persons * 1.6 + 100_000) / 1_000_000) * 1_000_000;
}

async function prepareDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, DTD_FILE), FIC_ALIM_DTD);
  } catch (err) {
    throw GeneratorErrors.OUTPUT_FAILED({ path: dir, reason: String(err) }, { cause: err });
  }
}

async function writeLevel(ctx: LevelContext): Promise<DeliveryManifest[]> {
  const { options } = ctx;
  const out: DeliveryManifest[] = [];
  const complete = await writeComplete(ctx);
  out.push(await finish(ctx, 'complete', options.date, complete.files, complete.expected));
  const days = followingWeekDays(options.date, options.deltas);
  for (const [i, day] of days.entries()) {
    if (!complete.state) break;
    const delta = await writeDelta(ctx, complete.state, day, i);
    out.push(await finish(ctx, 'delta', day, delta.files, delta.expected));
  }
  return out;
}

async function finish(
  ctx: LevelContext,
  kind: 'complete' | 'delta',
  day: string,
  files: DeliveryManifest['files'],
  expected: DeliveryManifest['expected'],
): Promise<DeliveryManifest> {
  let archive: string | null = null;
  if (ctx.options.archive) {
    archive = archiveName(ctx.plan.level, kind, day);
    await packArchive(ctx.dir, archive, [DTD_FILE, ...files.map((f) => f.name)], day);
  }
  return { level: ctx.plan.level, kind, date: day, dir: ctx.relDir, archive, files, expected };
}
