import type { EstablishmentPlan, LevelPlan } from './plan.js';
import type { ClusterPopulation, Family, StaffMember } from './population.js';

/** An Int32 array that grows (compact per-person state for the Deltas). */
class Column {
  #data = new Int32Array(1024);
  #length = 0;
  get length(): number {
    return this.#length;
  }
  push(v: number): number {
    if (this.#length === this.#data.length) {
      const bigger = new Int32Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length] = v;
    return this.#length++;
  }
  get(i: number): number {
    return this.#data[i] as number;
  }
  set(i: number, v: number): void {
    this.#data[i] = v;
  }
}

/**
 * What the Deltas need to stay consistent with the Complet and the previous Deltas, at about
 * 30 bytes per person: ids, establishment, class, family and alive flags. Families own
 * consecutive pupil and relative indexes.
 */
export class PopulationState {
  readonly plan: LevelPlan;
  readonly pupilId = new Column();
  readonly pupilEstab = new Column();
  /** Index in the establishment's `classes`. */
  readonly pupilClass = new Column();
  readonly pupilFamily = new Column();
  readonly pupilAlive = new Column();
  readonly relativeId = new Column();
  readonly relativeFamily = new Column();
  /** 1 when the relative is linked to the family's first child only (contact grandparent). */
  readonly relativeFirstOnly = new Column();
  readonly relativeAlive = new Column();
  readonly familyPupilStart = new Column();
  readonly familyPupilCount = new Column();
  readonly staffId = new Column();
  readonly staffEstab = new Column();
  /** Discipline index for teachers with services (2D), -1 for the others. */
  readonly staffDiscipline = new Column();
  readonly staffAlive = new Column();
  alive = { pupils: 0, relatives: 0, staff: 0 };
  /** Next free person jointure. */
  nextId: number;

  constructor(plan: LevelPlan, nextId: number) {
    this.plan = plan;
    this.nextId = nextId;
  }

  estab(index: number): EstablishmentPlan {
    return this.plan.establishments[index] as EstablishmentPlan;
  }

  /** Records a family (its children and relatives) already written. */
  addFamily(family: Family): void {
    const fam = this.familyPupilStart.push(this.pupilId.length);
    this.familyPupilCount.push(family.children.length);
    for (const p of family.children) {
      this.pupilId.push(p.id);
      this.pupilEstab.push(p.estab.index);
      this.pupilClass.push(p.cls ? p.estab.classes.indexOf(p.cls) : -1);
      this.pupilFamily.push(fam);
      this.pupilAlive.push(1);
      this.alive.pupils++;
    }
    for (const r of family.relatives) {
      this.relativeId.push(r.id);
      this.relativeFamily.push(fam);
      this.relativeFirstOnly.push(r.children.length === 1 && family.children.length > 1 ? 1 : 0);
      this.relativeAlive.push(1);
      this.alive.relatives++;
    }
  }

  addStaff(s: StaffMember): void {
    this.staffId.push(s.id);
    this.staffEstab.push(s.estab.index);
    this.staffDiscipline.push(s.discipline >= 0 && s.services.length > 0 ? s.discipline : -1);
    this.staffAlive.push(1);
    this.alive.staff++;
  }

  addCluster(pop: ClusterPopulation): void {
    for (const f of pop.families) this.addFamily(f);
    for (const s of pop.staff) this.addStaff(s);
  }

  /** Alive pupil ids a relative is linked to. */
  childrenOf(relative: number): number[] {
    const fam = this.relativeFamily.get(relative);
    const start = this.familyPupilStart.get(fam);
    const count = this.relativeFirstOnly.get(relative) ? 1 : this.familyPupilCount.get(fam);
    const out: number[] = [];
    for (let i = start; i < start + count; i++)
      if (this.pupilAlive.get(i)) out.push(this.pupilId.get(i));
    return out;
  }

  /** Relative indexes of a family. */
  relativesOfFamily(family: number): number[] {
    const out: number[] = [];
    // Relatives of a family are consecutive: find them from the family's first pupil's neighbours.
    for (
      let i = this.#firstRelative(family);
      i < this.relativeId.length && this.relativeFamily.get(i) === family;
      i++
    )
      out.push(i);
    return out;
  }

  #firstRelative(family: number): number {
    let lo = 0;
    let hi = this.relativeId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relativeFamily.get(mid) < family) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
