import type {
  CompleteExpectation,
  QuirkExpectation,
  RejectExpectation,
  StructureExpectation,
} from './manifest.js';
import { MEFS, SUBJECTS } from './nomenclature.js';
import type { EstablishmentPlan, LevelPlan } from './plan.js';
import type { ClusterPopulation } from './population.js';

interface StructureCounter {
  pupils: number;
  relatives: number;
  relativeAccounts: number;
  teachers: number;
  nonTeachers: number;
}

/** Accumulates the expected content of a Complet, cluster by cluster (no person kept). */
export class CompleteStats {
  readonly #plan: LevelPlan;
  readonly #perStructure = new Map<string, StructureCounter>();
  pupils = 0;
  relatives = 0;
  relativesLegal = 0;
  staff = 0;
  teachers = 0;
  relativeLinks = 0;
  legalLinks = 0;
  classLinks = 0;
  groupLinks = 0;
  staleLinks = 0;
  headTeacherLinks = 0;
  directionLinks = 0;
  multiStructureTeachers = 0;
  staffWithoutStructRattach = 0;
  placeholderFunctions = 0;

  constructor(plan: LevelPlan) {
    this.#plan = plan;
    for (const e of plan.establishments)
      this.#perStructure.set(e.jointure, {
        pupils: 0,
        relatives: 0,
        relativeAccounts: 0,
        teachers: 0,
        nonTeachers: 0,
      });
  }

  #of(e: EstablishmentPlan): StructureCounter {
    return this.#perStructure.get(e.jointure) as StructureCounter;
  }

  add(pop: ClusterPopulation): void {
    const relativesOf = new Map<EstablishmentPlan, Set<number>>();
    const accountsOf = new Map<EstablishmentPlan, Set<number>>();
    for (const p of pop.pupils) {
      this.pupils++;
      this.#of(p.estab).pupils++;
      const set = relativesOf.get(p.estab) ?? new Set<number>();
      const accounts = accountsOf.get(p.estab) ?? new Set<number>();
      for (const l of p.links) {
        set.add(l.relative.id);
        this.relativeLinks++;
        if (l.legal > 0) {
          this.legalLinks++;
          accounts.add(l.relative.id);
        }
      }
      relativesOf.set(p.estab, set);
      accountsOf.set(p.estab, accounts);
    }
    for (const [e, set] of relativesOf) this.#of(e).relatives += set.size;
    for (const [e, set] of accountsOf) this.#of(e).relativeAccounts += set.size;
    for (const r of pop.relatives) {
      this.relatives++;
      if (r.legal) this.relativesLegal++;
    }
    for (const s of pop.staff) this.#addStaff(s);
  }

  #addStaff(s: ClusterPopulation['staff'][number]): void {
    this.staff++;
    if (s.teacher) this.teachers++;
    if (!s.structRattach) this.staffWithoutStructRattach++;
    if (s.functions.length === 1 && s.functions[0]?.code === '-') this.placeholderFunctions++;
    const named = new Set<EstablishmentPlan>();
    if (s.structRattach) named.add(s.estab);
    for (const f of s.functions) named.add(f.estab);
    for (const e of s.direction) named.add(e);
    for (const v of s.services) named.add(v.estab);
    for (const e of named) {
      if (s.teacher) this.#of(e).teachers++;
      else this.#of(e).nonTeachers++;
    }
    if (s.teacher && new Set(s.functions.map((f) => f.estab)).size > 1)
      this.multiStructureTeachers++;
    this.directionLinks += s.direction.length;
    const links = new Set(
      s.services.map((v) => `${v.estab.jointure}$${v.kind}$${v.division.code}$${v.subject}`),
    );
    for (const v of s.services) {
      const key = `${v.estab.jointure}$${v.kind}$${v.division.code}$${v.subject}`;
      if (!links.delete(key)) continue;
      if (v.kind === 'class') this.classLinks++;
      else this.groupLinks++;
      if (v.stale) this.staleLinks++;
    }
    this.headTeacherLinks += new Set(
      s.headOf.map((v) => `${v.estab.jointure}$${v.division.code}`),
    ).size;
  }

  /** The manifest's `expected` block; rejected records are not counted as persons. */
  result(
    rejects: readonly RejectExpectation[],
    quirks: readonly QuirkExpectation[],
  ): CompleteExpectation {
    const structures: StructureExpectation[] = this.#plan.establishments.map((e) => {
      const c = this.#of(e);
      return {
        jointure: e.jointure,
        uai: e.uai,
        name: e.name,
        type: e.type,
        level: e.level,
        ...c,
        classes: e.classes.length,
        groups: e.groups.length,
      };
    });
    return {
      persons: {
        pupils: this.pupils,
        relatives: this.relatives,
        staff: this.staff,
        teachers: this.teachers,
        nonTeachers: this.staff - this.teachers,
        relativesLegal: this.relativesLegal,
        relativesContactOnly: this.relatives - this.relativesLegal,
        total: this.pupils + this.relatives + this.staff,
      },
      structures,
      subjects: this.#plan.level === '2d' ? SUBJECTS.length : 0,
      mefs: this.#plan.level === '2d' ? MEFS.length : 0,
      classes: structures.reduce((n, s) => n + s.classes, 0),
      groups: structures.reduce((n, s) => n + s.groups, 0),
      relativeLinks: {
        total: this.relativeLinks,
        legal: this.legalLinks,
        contactOnly: this.relativeLinks - this.legalLinks,
      },
      teachingLinks: {
        total: this.classLinks + this.groupLinks,
        classes: this.classLinks,
        groups: this.groupLinks,
        stale: this.staleLinks,
      },
      headTeacherLinks: this.headTeacherLinks,
      directionLinks: this.directionLinks,
      multiStructureTeachers: this.multiStructureTeachers,
      staffWithoutStructRattach: this.staffWithoutStructRattach,
      placeholderFunctions: this.placeholderFunctions,
      rejects,
      quirks,
    };
  }
}
