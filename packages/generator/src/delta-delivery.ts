import { ChunkedXmlWriter, type WrittenFile } from './chunk-writer.js';
import {
  classChange,
  contactChange,
  familyArrival,
  pupilDeparture,
  serviceChange,
  staffArrival,
  staffDeparture,
  type DeltaRun,
  type Mutable,
} from './delta-operations.js';
import { IdAllocator, type FamilyContext } from './families.js';
import { entitiesOf, filePrefix, type LevelContext } from './level-context.js';
import type { DeltaExpectation, PersonCounts } from './manifest.js';
import { createNameSampler } from './name-sampler.js';
import type { PopulationState } from './population-state.js';
import { Rng } from './prng.js';

/** Daily change rates, relative to the persons alive before the Delta (at least one each). */
const RATES = {
  arrivals: 0.0008,
  departures: 0.0008,
  classChanges: 0.0015,
  contactChanges: 0.0015,
  serviceChanges: 0.01,
  staffMoves: 0.002,
};

const count = (alive: number, rate: number): number => Math.max(1, Math.round(alive * rate));

/**
 * Writes one Delta: departures (with their relatives' deletion or children update), class,
 * contact and service changes, arrivals of families and staff — only on ids alive in `state`,
 * which is updated so the next Delta stays consistent.
 */
export async function writeDelta(
  ctx: LevelContext,
  state: PopulationState,
  day: string,
  index: number,
): Promise<{ files: WrittenFile[]; expected: DeltaExpectation }> {
  const rng = new Rng(ctx.options.seed, 'delta', ctx.plan.level, index);
  const prefix = filePrefix(ctx.options.scope, 'delta', day);
  const writers = new Map(
    entitiesOf(ctx.plan.level).map((e) => [
      e,
      new ChunkedXmlWriter({ dir: ctx.dir, prefix, entity: e, chunkSize: ctx.options.chunkSize }),
    ]),
  );
  const ids = new IdAllocator(state.nextId);
  const fctx: FamilyContext = {
    rng,
    names: createNameSampler(rng),
    ids,
    schoolYear: ctx.schoolYear,
    level: ctx.plan.level,
    siecle: new Map(),
    ...(ctx.plan.clusters[0]?.ineMark !== undefined
      ? { ineMark: ctx.plan.clusters[0].ineMark }
      : {}),
  };
  const zero = (): Mutable<PersonCounts> => ({ pupils: 0, relatives: 0, staff: 0 });
  const run: DeltaRun = {
    ctx,
    state,
    fctx,
    w: (e) => writers.get(e) as ChunkedXmlWriter,
    touched: { pupils: new Set(), relatives: new Set(), staff: new Set() },
    adds: zero(),
    modifies: zero(),
    deletes: zero(),
  };
  const alive = { ...state.alive };
  for (let i = 0; i < count(alive.pupils, RATES.departures); i++) await pupilDeparture(run);
  for (let i = 0; i < count(alive.staff, RATES.staffMoves); i++) await staffDeparture(run);
  for (let i = 0; i < count(alive.pupils, RATES.classChanges); i++) await classChange(run);
  for (let i = 0; i < count(alive.relatives, RATES.contactChanges); i++) await contactChange(run);
  for (let i = 0; i < count(alive.staff * 0.7, RATES.serviceChanges); i++) await serviceChange(run);
  for (let i = 0; i < count(alive.pupils / 1.8, RATES.arrivals); i++) await familyArrival(run);
  for (let i = 0; i < count(alive.staff, RATES.staffMoves); i++) await staffArrival(run);
  state.nextId = ids.next;
  const files: WrittenFile[] = [];
  for (const e of entitiesOf(ctx.plan.level)) files.push(...(await run.w(e).close()));
  return {
    files,
    expected: {
      adds: run.adds,
      modifies: run.modifies,
      deletes: run.deletes,
      after: { ...state.alive },
    },
  };
}
