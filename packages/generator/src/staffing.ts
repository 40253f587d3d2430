import { aafDate, daysInMonth } from './calendar.js';
import { classNaming } from './divisions.js';
import { mailLocal, type FamilyContext } from './families.js';
import { DISCIPLINES, subject, type LevelDef } from './nomenclature.js';
import type { Division, EstablishmentPlan } from './plan.js';
import type { Service, StaffFunction, StaffMember } from './population.js';
import { FUNCTIONS, type FunctionDef } from './staff-functions.js';

export type Role = keyof typeof FUNCTIONS | 'teacher';

/** The staff roles of an establishment: direction and services first, teachers for the rest. */
function roles2d(estab: EstablishmentPlan, staff: number, pupils: number): Role[] {
  const lycee = estab.kind === 'lycee';
  const wanted: Role[] = ['chief'];
  if (staff >= 25) wanted.push('deputy');
  if (lycee && staff >= 60) wanted.push('deputy');
  if (staff >= 10) wanted.push('doc');
  if (staff >= 15)
    for (let i = 0; i < Math.max(1, Math.round(pupils / 400)); i++) wanted.push('cpe');
  if (staff >= 12) wanted.push('secretary');
  if (staff >= 20) wanted.push('bursar', 'nurse');
  if (staff >= 30) wanted.push('psy');
  if (lycee && staff >= 40) wanted.push('lab');
  if (lycee && staff >= 60) wanted.push('doc');
  if (staff >= 15) for (let i = 0; i < Math.round(pupils / 90); i++) wanted.push('aed');
  const others = wanted.slice(0, Math.max(1, Math.floor(staff * 0.35)));
  while (others.length < staff) others.push('teacher');
  return others;
}

function roles1d(staff: number): Role[] {
  const roles: Role[] = [];
  if (staff >= 8) roles.push('aesh');
  while (roles.length < staff) roles.push('teacher');
  return roles;
}

function fn(estab: EstablishmentPlan, def: FunctionDef): StaffFunction {
  return {
    estab,
    code: def.code,
    label: def.label,
    disciplineCode: def.position,
    disciplineLabel: def.positionLabel,
  };
}

/** One staff member of an establishment with its function(s); services come later. */
export function makeStaff(
  ctx: FamilyContext,
  estab: EstablishmentPlan,
  role: Role,
  discipline: number,
): StaffMember {
  const { rng } = ctx;
  const name = ctx.names.person({ generation: 'adult' });
  const year = rng.range(1962, 1999);
  const month = rng.range(1, 12);
  const teacher = role === 'teacher' || role === 'doc';
  const functions: StaffFunction[] = [];
  if (role === 'teacher' && estab.level === '1d') functions.push(fn(estab, FUNCTIONS.teacher1d));
  else if (role === 'teacher') {
    const d = DISCIPLINES[discipline];
    functions.push({
      estab,
      code: 'ENS',
      label: 'ENSEIGNEMENT',
      disciplineCode: d?.code ?? '-',
      disciplineLabel: d?.label ?? 'SANS OBJET',
    });
  } else if (!teacher && role !== 'chief' && rng.chance(0.04))
    functions.push(fn(estab, FUNCTIONS.placeholder));
  else functions.push(fn(estab, FUNCTIONS[role]));
  const placeholder = functions[0]?.code === '-';
  return {
    id: ctx.ids.take(),
    name,
    birthName: name.sn,
    birthDate: aafDate(year, month, rng.range(1, daysInMonth(year, month))),
    mail: rng.chance(0.8) ? `${mailLocal(name)}@example.invalid` : '',
    estab,
    // About 15 % of real records have an empty ENTPersonStructRattach (structure in functions).
    structRattach: role === 'chief' || role === 'deputy' || placeholder || !rng.chance(0.15),
    functions,
    direction: role === 'chief' || role === 'deputy' ? [estab] : [],
    teacher,
    discipline: role === 'teacher' && estab.level === '2d' ? discipline : -1,
    services: [],
    headOf: [],
  };
}

interface Slot {
  readonly division: Division;
  readonly kind: 'class' | 'group';
  readonly subject: string;
  readonly discipline: number;
}

function slotsOf(estab: EstablishmentPlan): Slot[] {
  const slots: Slot[] = [];
  for (const c of estab.classes) {
    for (const code of (estab.levels[c.level] as LevelDef).subjects) {
      slots.push({
        division: c,
        kind: 'class',
        subject: code,
        discipline: subject(code).discipline,
      });
    }
  }
  for (const g of estab.groups) {
    if (g.subject)
      slots.push({
        division: g,
        kind: 'group',
        subject: g.subject,
        discipline: subject(g.subject).discipline,
      });
  }
  return slots;
}

/** Splits `teachers` among disciplines in proportion to their teaching slots. */
function allocateDisciplines(slots: readonly Slot[], teachers: number): number[] {
  const demand = DISCIPLINES.map(() => 0);
  for (const s of slots) demand[s.discipline] = (demand[s.discipline] ?? 0) + 1;
  const order = demand
    .map((n, d) => [d, n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const out: number[] = [];
  if (teachers <= order.length) return order.slice(0, teachers).map(([d]) => d);
  const total = slots.length;
  const extra = teachers - order.length;
  const shares = order.map(([d, n]) => ({ d, exact: (extra * n) / total }));
  let given = 0;
  for (const s of shares) {
    const k = 1 + Math.floor(s.exact);
    given += k - 1;
    for (let i = 0; i < k; i++) out.push(s.d);
  }
  shares.sort((a, b) => (b.exact % 1) - (a.exact % 1) || a.d - b.d);
  for (let i = 0; given < extra; i++, given++)
    out.push((shares[i % shares.length] as (typeof shares)[number]).d);
  return out.sort((a, b) => a - b);
}

/**
 * Creates the staff of one establishment (`count` persons) and gives its teachers their services:
 * every class × subject and group × subject slot goes to a teacher of the discipline, in blocks.
 */
export function staffEstablishment(
  ctx: FamilyContext,
  estab: EstablishmentPlan,
  count: number,
  pupils: number,
): StaffMember[] {
  const roles = estab.level === '2d' ? roles2d(estab, count, pupils) : roles1d(count);
  const slots = estab.level === '2d' ? slotsOf(estab) : [];
  const teacherCount = roles.filter((r) => r === 'teacher').length;
  const disciplines = estab.level === '2d' ? allocateDisciplines(slots, teacherCount) : [];
  let t = 0;
  const staff = roles.map((role) =>
    makeStaff(ctx, estab, role, role === 'teacher' ? (disciplines[t++] ?? 0) : -1),
  );
  if (estab.level === '1d') {
    const director = staff.find((s) => s.teacher);
    director?.direction.push(estab);
    return staff;
  }
  const byDiscipline = new Map<number, StaffMember[]>();
  for (const s of staff)
    if (s.discipline >= 0)
      byDiscipline.set(s.discipline, [...(byDiscipline.get(s.discipline) ?? []), s]);
  for (const [d, teachers] of byDiscipline) {
    const mine = slots.filter((s) => s.discipline === d);
    mine.forEach((slot, i) => {
      const teacher = teachers[Math.floor((i * teachers.length) / mine.length)] as StaffMember;
      teacher.services.push({
        estab,
        division: slot.division,
        kind: slot.kind,
        subject: slot.subject,
        stale: false,
      });
    });
  }
  return staff;
}

/** A teacher of `a` also takes one or two services of `b` in its discipline (two structures). */
export function shareTeacher(
  ctx: FamilyContext,
  a: readonly StaffMember[],
  b: readonly StaffMember[],
): boolean {
  const candidates = a.filter(
    (s) =>
      s.discipline >= 0 && b.some((o) => o.discipline === s.discipline && o.services.length > 1),
  );
  if (candidates.length === 0) return false;
  const teacher = ctx.rng.pick(candidates);
  const donor = b.find(
    (o) => o.discipline === teacher.discipline && o.services.length > 1,
  ) as StaffMember;
  const moved = donor.services.splice(0, ctx.rng.range(1, Math.min(2, donor.services.length - 1)));
  teacher.services.push(...moved);
  const first = moved[0] as Service;
  const own = teacher.functions[0] as StaffFunction;
  teacher.functions.push({ ...own, estab: first.estab });
  return true;
}

/** A teacher keeps a service in a class code that has no pupil this year (a stale link). */
export function addStaleLink(
  ctx: FamilyContext,
  estab: EstablishmentPlan,
  staff: readonly StaffMember[],
): boolean {
  const teachers = staff.filter(
    (s) => s.estab === estab && s.services.some((v) => v.kind === 'class' && v.estab === estab),
  );
  if (teachers.length === 0) return false;
  const teacher = ctx.rng.pick(teachers);
  const model = teacher.services.find((v) => v.kind === 'class' && v.estab === estab) as Service;
  const level = model.division.level;
  const count = estab.classes.filter((c) => c.level === level).length;
  const naming = classNaming(estab, level, count, count);
  teacher.services.push({
    estab,
    division: { ...naming, level, subject: '' },
    kind: 'class',
    subject: model.subject,
    stale: true,
  });
  return true;
}

/** Each class gets a head teacher among the teachers who teach it. */
export function chooseHeadTeachers(
  ctx: FamilyContext,
  estab: EstablishmentPlan,
  staff: readonly StaffMember[],
): void {
  const byClass = new Map<Division, StaffMember[]>();
  for (const s of staff) {
    for (const v of s.services) {
      if (v.kind !== 'class' || v.stale || v.estab !== estab) continue;
      const list = byClass.get(v.division) ?? [];
      if (!list.includes(s)) list.push(s);
      byClass.set(v.division, list);
    }
  }
  for (const c of estab.classes) {
    const teachers = byClass.get(c);
    if (!teachers?.length) continue;
    ctx.rng
      .pick(teachers)
      .headOf.push({ estab, division: c, kind: 'class', subject: '', stale: false });
  }
}

/** A fresh set of services in a discipline (Delta arrivals and service changes). */
export function drawServices(
  ctx: FamilyContext,
  estab: EstablishmentPlan,
  discipline: number,
): Service[] {
  const eligible: Service[] = [];
  for (const c of estab.classes) {
    for (const code of (estab.levels[c.level] as LevelDef).subjects) {
      if (subject(code).discipline === discipline)
        eligible.push({ estab, division: c, kind: 'class', subject: code, stale: false });
    }
  }
  for (const g of estab.groups) {
    if (g.subject && subject(g.subject).discipline === discipline) {
      eligible.push({ estab, division: g, kind: 'group', subject: g.subject, stale: false });
    }
  }
  if (eligible.length === 0) return [];
  return ctx.rng.shuffle(eligible).slice(0, ctx.rng.range(1, Math.min(6, eligible.length)));
}
