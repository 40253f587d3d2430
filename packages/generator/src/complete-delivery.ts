import { ChunkedXmlWriter, type WrittenFile } from './chunk-writer.js';
import { generateCluster } from './cluster.js';
import { CompleteStats } from './complete-stats.js';
import { entitiesOf, filePrefix, type LevelContext } from './level-context.js';
import type { CompleteExpectation } from './manifest.js';
import type { EstablishmentPlan } from './plan.js';
import { PopulationState } from './population-state.js';
import type { ClusterPopulation, Pupil, StaffMember } from './population.js';
import { INVALID_PER_ENTITY, Quirks } from './quirks.js';
import { pupil1d, relative1d, staff1d, structure1d } from './records-1d.js';
import {
  mefRecords,
  pupil2d,
  relative2d,
  staff2d,
  structure2d,
  subjectRecords,
} from './records-2d.js';

export interface CompleteResult {
  readonly files: readonly WrittenFile[];
  readonly expected: CompleteExpectation;
  /** Compact state for the Deltas (null when no Delta is asked). */
  readonly state: PopulationState | null;
}

type Writers = Record<string, ChunkedXmlWriter>;

/**
 * Writes the Complet of one level cluster by cluster: each cluster is generated from its own
 * seed, written to the entity files, counted, then dropped (memory stays flat).
 */
export async function writeComplete(ctx: LevelContext): Promise<CompleteResult> {
  const { options, plan } = ctx;
  const quirks = new Quirks(options.quirks, plan.level, ctx.sharedInes);
  const prefix = filePrefix(options.scope, 'complete', options.date);
  const writers: Writers = {};
  for (const entity of entitiesOf(plan.level)) {
    writers[entity] = new ChunkedXmlWriter({
      dir: ctx.dir,
      prefix,
      entity,
      chunkSize: options.chunkSize,
      styleOf: quirks.styleOf(entity),
    });
  }
  const w = (entity: string): ChunkedXmlWriter => writers[entity] as ChunkedXmlWriter;
  if (plan.level === '2d') {
    for (const r of subjectRecords(w('MatiereEducNat').style.mode))
      await w('MatiereEducNat').write(r, 'add');
    for (const r of mefRecords(w('MefEducNat').style.mode)) await w('MefEducNat').write(r, 'add');
  }
  const stats = new CompleteStats(plan);
  let nextId = plan.idNext;
  const state = options.deltas > 0 ? new PopulationState(plan, 0) : null;
  for (const cluster of plan.clusters) {
    const pop = generateCluster(options.seed, cluster, ctx.schoolYear);
    await writeCluster(ctx, w, cluster.establishments, pop, quirks);
    if (quirks.enabled && cluster.index === 0)
      nextId = await writeInvalid(ctx, w, pop, quirks, nextId);
    stats.add(pop);
    state?.addCluster(pop);
  }
  if (state) state.nextId = nextId;
  const files: WrittenFile[] = [];
  for (const entity of entitiesOf(plan.level)) files.push(...(await w(entity).close()));
  return { files, expected: stats.result(quirks.rejects(), quirks.expectations(files)), state };
}

async function writeCluster(
  ctx: LevelContext,
  w: (e: string) => ChunkedXmlWriter,
  establishments: readonly EstablishmentPlan[],
  pop: ClusterPopulation,
  quirks: Quirks,
): Promise<void> {
  const two = ctx.plan.level === '2d';
  const academy = ctx.options.scope;
  for (const e of establishments) {
    const writer = w('EtabEducNat');
    await writer.write(
      two ? structure2d(e, academy, writer.style.mode) : structure1d(e, academy, writer.style.mode),
      'add',
    );
  }
  const eleve = w('Eleve');
  const renderPupil = (p: Pupil, mode: 'ncr' | 'raw' | 'html'): string =>
    two ? pupil2d(p, ctx.schoolYear, mode) : pupil1d(p, mode);
  for (const p of pop.pupils) await eleve.write(quirks.pupil(p, eleve.style, renderPupil), 'add');
  const rel = w('PersRelEleve');
  for (const r of pop.relatives) {
    const q = quirks.relative(r);
    await rel.write(
      two
        ? relative2d(q.relative, rel.style.mode, q.tweaks)
        : relative1d(q.relative, rel.style.mode, q.tweaks),
      'add',
    );
  }
  const pen = w('PersEducNat');
  for (const s of pop.staff) {
    const tweaks = quirks.staff(s);
    await pen.write(
      two ? staff2d(s, pen.style.mode, s.id % 3 === 0, tweaks) : staff1d(s, pen.style.mode, tweaks),
      'add',
    );
  }
}

/** Invalid records (no sn) the importer must reject; they take jointures after the Complet's. */
async function writeInvalid(
  ctx: LevelContext,
  w: (e: string) => ChunkedXmlWriter,
  pop: ClusterPopulation,
  quirks: Quirks,
  nextId: number,
): Promise<number> {
  const two = ctx.plan.level === '2d';
  let id = nextId;
  const model = pop.pupils[0];
  const staffModel = pop.staff.find((s) => !s.teacher && s.direction.length === 0) ?? pop.staff[0];
  for (let i = 0; i < INVALID_PER_ENTITY && model; i++) {
    const p: Pupil = { ...model, id: id++, links: [], groups: [] };
    const eleve = w('Eleve');
    await eleve.write(
      two
        ? pupil2d(p, ctx.schoolYear, eleve.style.mode, { noSn: true })
        : pupil1d(p, eleve.style.mode, { noSn: true }),
      'add',
    );
    quirks.invalid.Eleve.push(String(p.id));
  }
  for (let i = 0; i < INVALID_PER_ENTITY && staffModel; i++) {
    const s: StaffMember = { ...staffModel, id: id++, services: [], headOf: [], direction: [] };
    const pen = w('PersEducNat');
    await pen.write(
      two
        ? staff2d(s, pen.style.mode, false, { noSn: true })
        : staff1d(s, pen.style.mode, { noSn: true }),
      'add',
    );
    quirks.invalid.PersEducNat.push(String(s.id));
  }
  return id;
}
