import { aafDate, daysInMonth } from './calendar.js';
import { createNameSampler, type NameSampler, type SampledName } from './name-sampler.js';
import type { ClusterPlan, EstablishmentPlan } from './plan.js';
import { drawAddress, drawPhone, drawTown } from './places.js';
import type { Family, Pupil, Relative, RelativeLink } from './population.js';
import { cumulative, Rng } from './prng.js';
import { asciiFold } from './xml-escape.js';

/** Allocates consecutive person jointures inside a cluster's block. */
export class IdAllocator {
  #next: number;
  constructor(start: number) {
    this.#next = start;
  }
  take(): number {
    return this.#next++;
  }
  get next(): number {
    return this.#next;
  }
}

const CHILDREN = cumulative([0.35, 0.35, 0.2, 0.1]);
const RELATIVES_2D = cumulative([0.45, 0.5, 0.05]);
const RELATIVES_1D = cumulative([0.45, 0.55]);
const INE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

export interface FamilyContext {
  readonly rng: Rng;
  readonly names: NameSampler;
  readonly ids: IdAllocator;
  readonly schoolYear: number;
  readonly level: '2d' | '1d';
  /** Next SIECLE/ONDE internal pupil number per establishment jointure. */
  readonly siecle: Map<string, number>;
  /** A second académie's INE digits end (ClusterPlan.ineMark). */
  readonly ineMark?: string;
}

export function familyContext(
  seed: number,
  cluster: ClusterPlan,
  schoolYear: number,
  label = 'complete',
): FamilyContext {
  const rng = new Rng(seed, label, cluster.establishments[0]?.level ?? '2d', cluster.index);
  return {
    rng,
    names: createNameSampler(rng),
    ids: new IdAllocator(cluster.idStart),
    schoolYear,
    level: cluster.establishments[0]?.level ?? '2d',
    siecle: new Map(),
    ...(cluster.ineMark !== undefined ? { ineMark: cluster.ineMark } : {}),
  };
}

/**
 * Draws one family: 1–4 children in the cluster's establishments (weighted by size) sharing the
 * same 1–3 relatives (a third one is a contact-only grandparent, 2D only). `maxPersons` caps the
 * family so the cluster budget is met exactly.
 */
export function drawFamily(
  ctx: FamilyContext,
  index: number,
  establishments: readonly EstablishmentPlan[],
  weights: Float64Array,
  maxPersons: number,
): Family {
  const { rng } = ctx;
  let children = rng.weightedIndex(CHILDREN) + 1;
  let relatives = rng.weightedIndex(ctx.level === '2d' ? RELATIVES_2D : RELATIVES_1D) + 1;
  if (children + relatives > maxPersons) {
    children = Math.min(children, maxPersons - 1);
    relatives = Math.min(relatives, maxPersons - children);
  }
  const home = establishments[0]?.town ?? drawTown(rng, 0);
  const family: Family = {
    index,
    address: drawAddress(rng),
    postalCode: home.postalCode,
    town: home.name,
    relatives: [],
    children: [],
  };
  const parents = drawParents(ctx, family, relatives);
  const childSn = parents.childSurname;
  for (let c = 0; c < children; c++) {
    const estab = establishments[rng.weightedIndex(weights)] as EstablishmentPlan;
    family.children.push(drawPupil(ctx, family, estab, childSn));
  }
  for (const [i, p] of parents.list.entries()) {
    const linked = p.code === '38' ? family.children.slice(0, 1) : family.children;
    for (const child of linked) {
      // A grand-parent (38) is contact only, or financial only one time in three (no account);
      // a lone other relative (50) is the personne en charge (legal 2: an account).
      const legal: 0 | 1 | 2 = p.code === '38' ? 0 : p.code === '50' ? 2 : 1;
      const financialOnly = p.code === '38' && rng.chance(1 / 3);
      const link: RelativeLink = {
        relative: p.relative,
        code: p.code,
        financial: legal > 0 || financialOnly ? 1 : 0,
        legal,
        contact: financialOnly ? 0 : i === 0 || p.code === '38' || rng.chance(0.5) ? 1 : 0,
        payment: i === 0 && rng.chance(0.3) ? 1 : 0,
      };
      child.links.push(link);
      p.relative.children.push(child);
      if (legal) p.relative.legal = true;
    }
  }
  return family;
}

interface DrawnParent {
  readonly relative: Relative;
  readonly code: string;
}

function drawParents(
  ctx: FamilyContext,
  family: Family,
  count: number,
): { list: DrawnParent[]; childSurname: string } {
  const { rng, names } = ctx;
  const list: DrawnParent[] = [];
  if (count === 1) {
    const code = rng.weighted([
      ['10', 0.7],
      ['20', 0.25],
      ['50', 0.05],
    ] as const);
    const name = names.person({
      sex: code === '20' ? 'M' : code === '10' ? 'F' : undefined,
      generation: 'adult',
    });
    const relative = makeRelative(ctx, family, name, name.sn);
    list.push({ relative, code });
    family.relatives.push(relative);
    return { list, childSurname: code === '50' ? names.surname() : name.sn };
  }
  const father = names.person({ sex: 'M', generation: 'adult' });
  const motherBirth = names.surname();
  const married = rng.chance(0.6);
  const mother = names.person({
    sex: 'F',
    generation: 'adult',
    sn: married ? father.sn : motherBirth,
  });
  const m = makeRelative(ctx, family, mother, motherBirth);
  const f = makeRelative(ctx, family, father, father.sn);
  list.push({ relative: m, code: '10' }, { relative: f, code: '20' });
  family.relatives.push(m, f);
  if (count === 3) {
    const gp = names.person({ generation: 'senior', sn: motherBirth });
    const g = makeRelative(ctx, family, gp, motherBirth, true);
    list.push({ relative: g, code: '38' });
    family.relatives.push(g);
  }
  const childSurname =
    rng.chance(0.04) && motherBirth !== father.sn ? `${father.sn}-${motherBirth}` : father.sn;
  return { list, childSurname };
}

function makeRelative(
  ctx: FamilyContext,
  family: Family,
  name: SampledName,
  birthName: string,
  elsewhere = false,
): Relative {
  const { rng } = ctx;
  const mobile = rng.chance(0.9) ? drawPhone(rng, true) : '';
  const town = elsewhere ? drawTown(rng, rng.int(100)) : null;
  return {
    id: ctx.ids.take(),
    name,
    birthName,
    homePhone: rng.chance(0.5) ? drawPhone(rng, false) : '',
    workPhone: rng.chance(0.3) ? drawPhone(rng, false) : '',
    mobile,
    sms: mobile && rng.chance(0.8) ? mobile : '',
    mail: rng.chance(0.7) ? `${mailLocal(name)}@example.invalid` : '',
    address: town ? drawAddress(rng) : family.address,
    postalCode: town ? town.postalCode : family.postalCode,
    town: town ? town.name : family.town,
    addressDiffusion: rng.chance(0.2) ? 'O' : 'N',
    children: [],
    legal: false,
  };
}

/** `prenom.nom` in ASCII (mails are not unique: homonyms share them, as parents do). */
export function mailLocal(name: SampledName): string {
  return `${asciiFold(name.givenName)}.${asciiFold(name.sn)}`;
}

function drawPupil(
  ctx: FamilyContext,
  family: Family,
  estab: EstablishmentPlan,
  sn: string,
): Pupil {
  const { rng } = ctx;
  const level = rng.weightedIndex(cumulative(estab.levels.map((l) => l.weight)));
  const def = estab.levels[level];
  const age = (def?.age ?? 11) + (rng.chance(0.08) ? 1 : 0);
  const year = ctx.schoolYear - age;
  const month = rng.range(1, 12);
  const id = ctx.ids.take();
  const siecle = ctx.siecle.get(estab.jointure) ?? 100000 + rng.int(800000);
  ctx.siecle.set(estab.jointure, siecle + 1);
  const digits = String(id).padStart(9, '0').split('').reverse().join('');
  const ine =
    (ctx.ineMark === undefined ? digits : digits.slice(0, 7) + ctx.ineMark) +
    rng.pick([...INE_LETTERS]) +
    rng.pick([...INE_LETTERS]);
  return {
    id,
    estab,
    level,
    name: ctx.names.person({ generation: 'child', sn }),
    birthDate: aafDate(year, month, rng.range(1, daysInMonth(year, month))),
    ine,
    siecleId: siecle,
    family,
    links: [],
    cls: null,
    groups: [],
    schooling: ctx.level === '2d' ? schooling2d(rng, estab) : schooling1d(rng, estab),
  };
}

function schooling2d(rng: Rng, estab: EstablishmentPlan): Record<string, string> {
  const regime = rng.weighted([
    ['EXTERNE LIBRE', 0.3],
    ["DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT", 0.65],
    ["INTERNE DANS L'ETABLISSEMENT", estab.kind === 'lycee' ? 0.08 : 0.01],
  ] as const);
  return { regime, boursier: rng.chance(0.25) ? 'O' : 'N', transport: rng.chance(0.2) ? 'O' : 'N' };
}

function schooling1d(rng: Rng, estab: EstablishmentPlan): Record<string, string> {
  const on = (p: number): string => (rng.chance(p) ? 'O' : 'N');
  return {
    restaurant: on(0.7),
    transport: on(0.1),
    garderieMatin: on(0.3),
    garderieSoir: on(0.4),
    etudes: estab.kind === 'elementaire' ? on(0.2) : 'N',
  };
}
