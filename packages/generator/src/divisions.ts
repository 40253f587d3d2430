import { GROUP_SIZE, type GroupFamily, type GroupRule, type LevelDef } from './nomenclature.js';
import type { Division, EstablishmentPlan } from './plan.js';
import type { Pupil } from './population.js';
import type { Rng } from './prng.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The code and label of the n-th class (0-based) of a level. */
export function classNaming(
  estab: EstablishmentPlan,
  level: number,
  n: number,
  count: number,
): { code: string; label: string; id: string } {
  const def = estab.levels[level] as LevelDef;
  const seq = `${String(estab.index + 1).padStart(4, '0')}${String(n + 1).padStart(2, '0')}`;
  if (estab.level === '1d') {
    // 1D: a stable id (field 3) and a label that may change (field 4). Level indexes keep ids apart.
    const label = count > 1 || n >= count ? `${def.code} ${letter(n)}` : def.code;
    return { code: `C${seq}${level}`, label, id: `C${seq}${level}` };
  }
  const suffix = def.stage === 'college' ? letter(n) : String(n + 1);
  return { code: def.classStem + suffix, label: `${def.classLabel} ${suffix}`, id: '' };
}

function letter(n: number): string {
  return n < 26 ? (LETTERS[n] as string) : `${LETTERS[Math.floor(n / 26) - 1]}${LETTERS[n % 26]}`;
}

/**
 * Forms the classes of an establishment from its pupils (so every class has pupils) and its
 * option groups, and records them on the plan for later files and Deltas.
 */
export function formDivisions(rng: Rng, estab: EstablishmentPlan, pupils: readonly Pupil[]): void {
  const byLevel = estab.levels.map(() => [] as Pupil[]);
  for (const p of pupils) byLevel[p.level]?.push(p);
  estab.classes = [];
  estab.groups = [];
  byLevel.forEach((members, level) => {
    if (members.length === 0) return;
    const def = estab.levels[level] as LevelDef;
    const k = Math.ceil(members.length / def.classSize);
    const classes: Division[] = [];
    for (let n = 0; n < k; n++) {
      const naming = classNaming(estab, level, n, k);
      classes.push({ ...naming, level, subject: '' });
    }
    members.forEach((p, i) => {
      p.cls = classes[i % k] as Division;
    });
    estab.classes.push(...classes);
    for (const rule of def.groups) formGroups(rng, estab, level, rule, members);
    if (estab.level === '1d' && def.cycle === 'CYCLE III')
      formPrimaryChoir(rng, estab, level, members);
  });
}

function formGroups(
  rng: Rng,
  estab: EstablishmentPlan,
  level: number,
  rule: GroupRule,
  members: readonly Pupil[],
): void {
  const chosen = rule.families.map(() => [] as Pupil[]);
  for (const p of members) {
    if (rule.kind === 'optional') {
      if (rng.chance(rule.share ?? 0)) chosen[0]?.push(p);
    } else if (rule.kind === 'one-of') {
      const weights = rule.weights ?? rule.families.map(() => 1);
      chosen[rng.weighted(weights.map((w, i) => [i, w] as const))]?.push(p);
    } else {
      const picks = rng.shuffle(rule.families.map((_, i) => i)).slice(0, rule.count ?? 1);
      for (const i of picks) chosen[i]?.push(p);
    }
  }
  rule.families.forEach((family, i) => split(estab, level, family, chosen[i] ?? []));
}

function split(
  estab: EstablishmentPlan,
  level: number,
  family: GroupFamily,
  members: readonly Pupil[],
): void {
  if (members.length === 0) return;
  const g = Math.ceil(members.length / GROUP_SIZE);
  const groups: Division[] = [];
  for (let j = 0; j < g; j++) {
    groups.push({
      code: j === 0 ? family.code : `${family.code}${j + 1}`,
      label: g > 1 ? `${family.label} ${j + 1}` : family.label,
      level,
      id: '',
      subject: family.subject,
      classes: [],
    });
  }
  members.forEach((p, i) => {
    const group = groups[i % g] as Division;
    p.groups.push(group);
    if (p.cls && !group.classes?.includes(p.cls.code)) group.classes?.push(p.cls.code);
  });
  estab.groups.push(...groups);
}

function formPrimaryChoir(
  rng: Rng,
  estab: EstablishmentPlan,
  level: number,
  members: readonly Pupil[],
): void {
  const singers = members.filter(() => rng.chance(0.25));
  if (singers.length === 0) return;
  const id = `G${String(estab.index + 1).padStart(4, '0')}${String(level).padStart(2, '0')}`;
  const group: Division = {
    code: id,
    label: `CHORALE ${estab.levels[level]?.code ?? ''}`,
    level,
    id,
    subject: '',
  };
  for (const p of singers) p.groups.push(group);
  estab.groups.push(group);
}

/** The classes of the establishment that belong to a level. */
export function classesOfLevel(estab: EstablishmentPlan, level: number): Division[] {
  return estab.classes.filter((c) => c.level === level);
}
