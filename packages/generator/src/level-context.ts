import type { GenerateOptions } from './options.js';
import type { LevelPlan } from './plan.js';

/** What the delivery writers of one level share. */
export interface LevelContext {
  readonly options: GenerateOptions;
  readonly plan: LevelPlan;
  /** Absolute folder of the level's files. */
  readonly dir: string;
  /** Folder relative to the output folder (`.`, `2d`, `1d`). */
  readonly relDir: string;
  readonly schoolYear: number;
  /**
   * Both levels, with quirks: INEs of 6e pupils of the 2D Complet that the 1D Complet, written
   * next, gives to CM2 pupils (the école's file still listing them at the rentrée).
   */
  readonly sharedInes?: string[];
}

/** Entity files of a delivery, in processing order. */
export function entitiesOf(level: LevelPlan['level']): readonly string[] {
  return level === '2d'
    ? ['EtabEducNat', 'MatiereEducNat', 'MefEducNat', 'Eleve', 'PersRelEleve', 'PersEducNat']
    : ['EtabEducNat', 'Eleve', 'PersRelEleve', 'PersEducNat'];
}

/** `ENT_TEST_Complet_20240907`. */
export function filePrefix(scope: string, kind: 'complete' | 'delta', day: string): string {
  return `ENT_${scope}_${kind === 'complete' ? 'Complet' : 'Delta'}_${day.replaceAll('-', '')}`;
}
