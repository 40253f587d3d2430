/**
 * The columns of a KoXo synchronisation CSV, in order. The first 14 are the header KoXo's CSV
 * synchronisation profile reads positionally ("Field N"); the 15th holds the additional qualities
 * (comma-separated group names); the 16th is our `koxo` login, mapped in the profile with
 * `<UserId>Field 16</UserId>` (the site keeps `Generated` to let KoXo name accounts itself).
 * Every row has all 16 fields: a short row shifts the columns and gives one person's identity and
 * password to another account.
 */
export const KOXO_COLUMNS = [
  'Civilite',
  'Nom',
  'Prenom',
  'DateNaissance',
  'IdentifiantUnique',
  'GroupeSecondaire',
  'Email',
  'Telephone',
  'TelephoneMobile',
  'Fax',
  'PageWeb',
  'ChampLibre',
  'Fonction',
  'MotDePasse',
  'QualitesSupplementaires',
  'Identifiant',
] as const;

export type KoxoColumn = (typeof KOXO_COLUMNS)[number];
export type KoxoRow = Readonly<Record<KoxoColumn, string>>;

/** The files of an establishment: one per primary group. */
export type KoxoPopulation = 'pupil' | 'teacher' | 'staff' | 'relative';

export const DEFAULT_PRIMARY_GROUPS: Readonly<Record<KoxoPopulation, string>> = {
  pupil: 'ELEVES',
  teacher: 'PROFESSEURS',
  staff: 'PERSONNELS',
  relative: 'PARENTS',
};

/** The longest `sAMAccountName` Active Directory clients accept. */
export const KOXO_LOGIN_MAX = 20;
