import { aafIdOf } from '@aaf-sync/db';
import { KOXO_LOGIN_MAX, type KoxoPopulation, type KoxoRow } from './columns.js';
import { KoxoErrors } from './errors.js';
import type { RosterEntry } from './roster.js';

/** Secondary group of an account that has nothing better (documented in the README). */
const FALLBACK_SECONDARY: Readonly<Record<KoxoPopulation, string>> = {
  pupil: 'SANS-CLASSE',
  teacher: 'ENSEIGNANTS',
  staff: 'PERSONNELS',
  relative: 'PARENTS',
};
const FUNCTION: Readonly<Record<KoxoPopulation, string>> = {
  pupil: 'Eleve',
  teacher: 'Enseignant',
  staff: 'Personnel',
  relative: 'Parent',
};

/** A quality is one group name inside a comma-separated cell: no comma in it. */
const quality = (name: string) => name.replace(/,/g, ' ').trim();

function secondaryGroup(e: RosterEntry): string {
  switch (e.population) {
    case 'pupil':
      return e.classes[0] ?? FALLBACK_SECONDARY.pupil;
    case 'teacher':
      return e.discipline ?? FALLBACK_SECONDARY.teacher;
    case 'staff':
      return e.functionLabel ?? FALLBACK_SECONDARY.staff;
    case 'relative':
      return FALLBACK_SECONDARY.relative;
  }
}

/** Options and language groups (pupils); one teaching team per class or group taught. */
function qualities(e: RosterEntry): string[] {
  if (e.population === 'pupil') return [...e.classes.slice(1), ...e.groups].map(quality);
  if (e.population === 'teacher') {
    return e.teaching.map((t) => quality(`EQUIPE-${t.slice(t.indexOf(':') + 1)}`));
  }
  return [];
}

function civility(c: string | null): string {
  if (!c) return '';
  const v = c.trim();
  if (/^m\.?$/i.test(v)) return 'M.';
  if (/^(mme|madame)$/i.test(v)) return 'Mme';
  return v;
}

/** Why an account cannot be written (its `koxo` login is missing or too long), or null. */
export function loginProblem(login: string | null): string | null {
  if (!login) return KoxoErrors.NO_LOGIN({}).message;
  if (login.length > KOXO_LOGIN_MAX) {
    return KoxoErrors.LOGIN_TOO_LONG({ login, length: login.length }).message;
  }
  return null;
}

/** The KoXo row of an account of establishment `uai`; `password` only in the creating file. */
export function koxoRow(e: RosterEntry, uai: string, password: string | null): KoxoRow {
  return {
    Civilite: civility(e.civility),
    Nom: e.sn,
    Prenom: e.givenName,
    DateNaissance: e.birthDate ?? '',
    // the AAF id (never a qualified directory key)
    IdentifiantUnique: aafIdOf(e.jointure),
    GroupeSecondaire: secondaryGroup(e),
    Email: e.mail ?? '',
    Telephone: '',
    TelephoneMobile: '',
    Fax: '',
    PageWeb: '',
    ChampLibre: uai,
    Fonction:
      e.population === 'staff' ? (e.functionLabel ?? FUNCTION.staff) : FUNCTION[e.population],
    MotDePasse: password ?? '',
    QualitesSupplementaires: [...new Set(qualities(e))].join(','),
    Identifiant: e.login ?? '',
  };
}
