import { formDivisions } from './divisions.js';
import { drawFamily, familyContext, type FamilyContext } from './families.js';
import type { ClusterPlan } from './plan.js';
import type { ClusterPopulation, Family, Pupil, Relative, StaffMember } from './population.js';
import { cumulative } from './prng.js';
import { addStaleLink, chooseHeadTeachers, shareTeacher, staffEstablishment } from './staffing.js';

/** One 2D establishment in STALE_EVERY has a teacher linked to a class that has no pupil. */
const STALE_EVERY = 3;

/**
 * Generates every person of a cluster from the cluster's own seed, using exactly its person
 * budget and its jointure block: families (pupils + relatives), classes and groups, then staff.
 */
export function generateCluster(
  seed: number,
  cluster: ClusterPlan,
  schoolYear: number,
): ClusterPopulation & { readonly ctx: FamilyContext } {
  const ctx = familyContext(seed, cluster, schoolYear);
  const estabs = cluster.establishments;
  const familyBudgets = estabs.map((e) => e.personBudget - e.staffBudget);
  const weights = cumulative(familyBudgets);
  let remaining = familyBudgets.reduce((a, b) => a + b, 0);
  const families: Family[] = [];
  const pupils: Pupil[] = [];
  const relatives: Relative[] = [];
  while (remaining >= 2) {
    const family = drawFamily(ctx, families.length, estabs, weights, remaining);
    families.push(family);
    pupils.push(...family.children);
    relatives.push(...family.relatives);
    remaining -= family.children.length + family.relatives.length;
  }
  for (const e of estabs)
    formDivisions(
      ctx.rng,
      e,
      pupils.filter((p) => p.estab === e),
    );
  const perEstab = estabs.map((e, i) =>
    staffEstablishment(
      ctx,
      e,
      e.staffBudget + (i === 0 ? remaining : 0),
      pupils.filter((p) => p.estab === e).length,
    ),
  );
  const staff: StaffMember[] = perEstab.flat();
  if (estabs[0]?.level === '2d') {
    const [a, b] = perEstab;
    // Each multi-establishment cluster has one teacher teaching in two of its establishments.
    if (a && b) shareTeacher(ctx, a, b);
    for (const e of estabs) if (e.index % STALE_EVERY === 0) addStaleLink(ctx, e, staff);
    for (const e of estabs) chooseHeadTeachers(ctx, e, staff);
  }
  return { families, pupils, relatives, staff, ctx };
}
