import type { SampledName } from './name-sampler.js';
import type { Division, EstablishmentPlan } from './plan.js';

/** In-memory persons of one cluster (a few thousand at most), written then dropped. */

export interface RelativeLink {
  readonly relative: Relative;
  /** BCN relationship code: 10 mère, 20 père, 38 ascendant, 50 tuteur. */
  readonly code: string;
  readonly financial: 0 | 1;
  /** 0 none, 1 legal representative, 2 personne en charge (acts as a parent). */
  readonly legal: 0 | 1 | 2;
  readonly contact: 0 | 1;
  readonly payment: 0 | 1;
}

export interface Pupil {
  readonly id: number;
  readonly estab: EstablishmentPlan;
  /** Index in `estab.levels`. */
  readonly level: number;
  readonly name: SampledName;
  readonly birthDate: string;
  readonly ine: string;
  readonly siecleId: number;
  readonly family: Family;
  readonly links: RelativeLink[];
  cls: Division | null;
  readonly groups: Division[];
  /** Schooling flags, drawn once (`O`/`N` or labels). */
  readonly schooling: Readonly<Record<string, string>>;
}

export interface Relative {
  readonly id: number;
  readonly name: SampledName;
  readonly birthName: string;
  readonly homePhone: string;
  readonly workPhone: string;
  readonly mobile: string;
  readonly sms: string;
  readonly mail: string;
  readonly address: string;
  readonly postalCode: string;
  readonly town: string;
  readonly addressDiffusion: 'O' | 'N';
  /** Children this relative is linked to (a contact grandparent: the eldest only). */
  readonly children: Pupil[];
  /** True when at least one link gives legal responsibility. */
  legal: boolean;
}

export interface Family {
  readonly index: number;
  readonly address: string;
  readonly postalCode: string;
  readonly town: string;
  readonly relatives: Relative[];
  readonly children: Pupil[];
}

/** A service: a class or group taught, with the subject (a stale one names a class with no pupil). */
export interface Service {
  readonly estab: EstablishmentPlan;
  readonly division: Division;
  readonly kind: 'class' | 'group';
  /** Subject code (ENTMatJointure). */
  readonly subject: string;
  readonly stale: boolean;
}

/** A function value of ENTPersonFonctions, split. */
export interface StaffFunction {
  readonly estab: EstablishmentPlan;
  readonly code: string;
  readonly label: string;
  readonly disciplineCode: string;
  readonly disciplineLabel: string;
}

export interface StaffMember {
  readonly id: number;
  readonly name: SampledName;
  readonly birthName: string;
  readonly birthDate: string;
  readonly mail: string;
  /** Home establishment; `structRattach` false writes an empty ENTPersonStructRattach. */
  readonly estab: EstablishmentPlan;
  structRattach: boolean;
  readonly functions: StaffFunction[];
  readonly direction: EstablishmentPlan[];
  readonly teacher: boolean;
  /** Index in DISCIPLINES, -1 for non-teachers. */
  readonly discipline: number;
  readonly services: Service[];
  readonly headOf: Service[];
}

export interface ClusterPopulation {
  readonly families: readonly Family[];
  readonly pupils: readonly Pupil[];
  readonly relatives: readonly Relative[];
  readonly staff: readonly StaffMember[];
}
