import type { ChunkedXmlWriter } from './chunk-writer.js';
import { drawFamily, type FamilyContext } from './families.js';
import type { LevelContext } from './level-context.js';
import type { PersonCounts } from './manifest.js';
import { DISCIPLINES } from './nomenclature.js';
import type { Division, EstablishmentPlan } from './plan.js';
import { drawAddress, drawPhone } from './places.js';
import type { PopulationState } from './population-state.js';
import { cumulative } from './prng.js';
import { division1d, pupil1d, relative1d, staff1d } from './records-1d.js';
import { pupil2d, relative2d, staff2d, teachingAttrs } from './records-2d.js';
import { drawServices, makeStaff } from './staffing.js';
import { deleteRequest, modifyRequest, type Attr } from './xml-records.js';

/** The single changes a Delta is made of; each keeps `state` consistent with what it writes. */

const TRIES = 200;

export type Writer = (entity: string) => ChunkedXmlWriter;
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface DeltaRun {
  readonly ctx: LevelContext;
  readonly state: PopulationState;
  readonly fctx: FamilyContext;
  readonly w: Writer;
  readonly touched: { pupils: Set<number>; relatives: Set<number>; staff: Set<number> };
  readonly adds: Mutable<PersonCounts>;
  readonly modifies: Mutable<PersonCounts>;
  readonly deletes: Mutable<PersonCounts>;
}

function pickIndex(run: DeltaRun, size: number, ok: (i: number) => boolean): number {
  for (let t = 0; t < TRIES && size > 0; t++) {
    const i = run.fctx.rng.int(size);
    if (ok(i)) return i;
  }
  return -1;
}

export async function pupilDeparture(run: DeltaRun): Promise<void> {
  const { state, touched } = run;
  const i = pickIndex(
    run,
    state.pupilId.length,
    (i) =>
      state.pupilAlive.get(i) === 1 &&
      !touched.pupils.has(i) &&
      state.relativesOfFamily(state.pupilFamily.get(i)).every((r) => !touched.relatives.has(r)),
  );
  if (i < 0) return;
  // Most departures are families moving away (every child leaves), some a single pupil.
  const fam = state.pupilFamily.get(i);
  const start = state.familyPupilStart.get(fam);
  const leaving = run.fctx.rng.chance(0.6)
    ? Array.from({ length: state.familyPupilCount.get(fam) }, (_, k) => start + k).filter(
        (k) => state.pupilAlive.get(k) === 1 && !touched.pupils.has(k),
      )
    : [i];
  for (const k of leaving) {
    state.pupilAlive.set(k, 0);
    state.alive.pupils--;
    touched.pupils.add(k);
    await run
      .w('Eleve')
      .write(deleteRequest('categoriePersonne', 'Eleve', String(state.pupilId.get(k))), 'delete');
    run.deletes.pupils++;
  }
  const childrenAttr =
    run.ctx.plan.level === '2d' ? 'ENTAuxPersRelEleveEleve' : 'ENTPersRelEleveEleve';
  for (const r of state.relativesOfFamily(state.pupilFamily.get(i))) {
    if (state.relativeAlive.get(r) !== 1) continue;
    touched.relatives.add(r);
    const children = state.childrenOf(r);
    const id = String(state.relativeId.get(r));
    if (children.length === 0) {
      state.relativeAlive.set(r, 0);
      state.alive.relatives--;
      await run
        .w('PersRelEleve')
        .write(deleteRequest('categoriePersonne', 'PersRelEleve', id), 'delete');
      run.deletes.relatives++;
    } else {
      await run
        .w('PersRelEleve')
        .write(
          modifyRequest(
            'categoriePersonne',
            'PersRelEleve',
            id,
            [[childrenAttr, children.map(String)]],
            'ncr',
          ),
          'modify',
        );
      run.modifies.relatives++;
    }
  }
}

export async function staffDeparture(run: DeltaRun): Promise<void> {
  const { state, touched } = run;
  const i = pickIndex(
    run,
    state.staffId.length,
    (i) => state.staffAlive.get(i) === 1 && !touched.staff.has(i),
  );
  if (i < 0) return;
  state.staffAlive.set(i, 0);
  state.alive.staff--;
  touched.staff.add(i);
  await run
    .w('PersEducNat')
    .write(
      deleteRequest('categoriePersonne', 'PersEducNat', String(state.staffId.get(i))),
      'delete',
    );
  run.deletes.staff++;
}

function sameLevelClasses(estab: EstablishmentPlan, cls: Division): Division[] {
  return estab.classes.filter((c) => c.level === cls.level && c !== cls);
}

export async function classChange(run: DeltaRun): Promise<void> {
  const { state, touched } = run;
  const i = pickIndex(run, state.pupilId.length, (i) => {
    if (state.pupilAlive.get(i) !== 1 || touched.pupils.has(i)) return false;
    const estab = state.estab(state.pupilEstab.get(i));
    const cls = estab.classes[state.pupilClass.get(i)];
    return cls !== undefined && sameLevelClasses(estab, cls).length > 0;
  });
  if (i < 0) return;
  touched.pupils.add(i);
  const estab = state.estab(state.pupilEstab.get(i));
  const target = run.fctx.rng.pick(
    sameLevelClasses(estab, estab.classes[state.pupilClass.get(i)] as Division),
  );
  state.pupilClass.set(i, estab.classes.indexOf(target));
  const mod: Attr =
    run.ctx.plan.level === '2d'
      ? ['ENTEleveClasses', [`${estab.jointure}$${target.code}`]]
      : ['ENTPersonClasses', [division1d(estab, target, 'class')]];
  await run
    .w('Eleve')
    .write(
      modifyRequest('categoriePersonne', 'Eleve', String(state.pupilId.get(i)), [mod], 'ncr'),
      'modify',
    );
  run.modifies.pupils++;
}

export async function contactChange(run: DeltaRun): Promise<void> {
  const { state, touched, fctx } = run;
  const i = pickIndex(
    run,
    state.relativeId.length,
    (i) => state.relativeAlive.get(i) === 1 && !touched.relatives.has(i),
  );
  if (i < 0) return;
  touched.relatives.add(i);
  const two = run.ctx.plan.level === '2d';
  let mods: Attr[];
  if (fctx.rng.chance(0.5)) {
    const mobile = drawPhone(fctx.rng, true);
    mods = two
      ? [
          ['mobile', [mobile]],
          ['ENTPersonMobileSMS', [mobile]],
        ]
      : [['ENTPersRelEleveTelMobile', [mobile]]];
    if (fctx.rng.chance(0.5))
      mods.push([two ? 'telephoneNumber' : 'ENTPersonTelPerso', [drawPhone(fctx.rng, false)]]);
  } else {
    const estab = state.estab(0);
    mods = [
      ['ENTPersonAdresse', [drawAddress(fctx.rng)]],
      ['ENTPersonCodePostal', [estab.town.postalCode]],
      ['ENTPersonVille', [estab.town.name]],
    ];
  }
  await run
    .w('PersRelEleve')
    .write(
      modifyRequest(
        'categoriePersonne',
        'PersRelEleve',
        String(state.relativeId.get(i)),
        mods,
        'ncr',
      ),
      'modify',
    );
  run.modifies.relatives++;
}

export async function serviceChange(run: DeltaRun): Promise<void> {
  const { state, touched, fctx } = run;
  const two = run.ctx.plan.level === '2d';
  const i = pickIndex(
    run,
    state.staffId.length,
    (i) =>
      state.staffAlive.get(i) === 1 &&
      !touched.staff.has(i) &&
      (!two || state.staffDiscipline.get(i) >= 0),
  );
  if (i < 0) return;
  const estab = state.estab(state.staffEstab.get(i));
  let mods: Attr[];
  if (two) {
    const services = drawServices(fctx, estab, state.staffDiscipline.get(i));
    if (services.length === 0) return;
    mods = teachingAttrs({ services, discipline: state.staffDiscipline.get(i) }, false);
  } else {
    mods = [['ENTPersonMail', [`enseignant.${state.staffId.get(i)}@example.invalid`]]];
  }
  touched.staff.add(i);
  await run
    .w('PersEducNat')
    .write(
      modifyRequest('categoriePersonne', 'PersEducNat', String(state.staffId.get(i)), mods, 'ncr'),
      'modify',
    );
  run.modifies.staff++;
}

export async function familyArrival(run: DeltaRun): Promise<void> {
  const { state, fctx, ctx } = run;
  const candidates = ctx.plan.establishments.filter((e) => e.classes.length > 0);
  if (candidates.length === 0) return;
  const estab = fctx.rng.pick(candidates);
  const family = drawFamily(fctx, state.familyPupilStart.length, [estab], cumulative([1]), 7);
  const two = ctx.plan.level === '2d';
  for (const p of family.children) {
    const same = estab.classes.filter((c) => c.level === p.level);
    p.cls = fctx.rng.pick(same.length ? same : estab.classes);
    await run.w('Eleve').write(two ? pupil2d(p, ctx.schoolYear, 'ncr') : pupil1d(p, 'ncr'), 'add');
    run.adds.pupils++;
  }
  for (const r of family.relatives) {
    await run.w('PersRelEleve').write(two ? relative2d(r, 'ncr') : relative1d(r, 'ncr'), 'add');
    run.adds.relatives++;
  }
  state.addFamily(family);
}

export async function staffArrival(run: DeltaRun): Promise<void> {
  const { state, fctx, ctx } = run;
  const estab = fctx.rng.pick(ctx.plan.establishments);
  const two = ctx.plan.level === '2d';
  const teacher = fctx.rng.chance(0.6);
  const discipline = two && teacher ? fctx.rng.int(DISCIPLINES.length) : -1;
  const s = makeStaff(fctx, estab, teacher ? 'teacher' : two ? 'aed' : 'aesh', discipline);
  if (two && teacher) s.services.push(...drawServices(fctx, estab, discipline));
  await run.w('PersEducNat').write(two ? staff2d(s, 'ncr', false) : staff1d(s, 'ncr'), 'add');
  run.adds.staff++;
  state.addStaff(s);
}
