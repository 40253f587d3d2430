import type { Rng } from './prng.js';

/** Towns, streets and establishment names of the synthetic académie (all invented). */

const TOWN_ROOTS = (
  'VILLEBOIS MONTVAL BEAUREGARD CHÂTEAUNEUF ROCHEFONT VALMONT FONTENAY PLESSIS CHAMPAGNY ' +
  'MARGNY NEUVILLE BELLEVUE CLAIRVAUX AUBIGNY SAVIGNY BRÉVILLE LONGPRÉ HAUTERIVE MIREBEAU ' +
  'ROQUEBRUNE SAINT-MARTIN SAINT-ÉTIENNE SAINTE-HÉLÈNE SAINT-JUST VILLEFRANCHE'
).split(' ');
const TOWN_SUFFIXES = [
  '',
  '',
  '',
  '-SUR-LOIRE',
  '-LES-BAINS',
  '-LE-VIEUX',
  '-EN-BRIE',
  "-D'ARMOR",
  '-LA-FORÊT',
  '-SUR-MER',
];

const STREET_KINDS = ['RUE', 'RUE', 'AVENUE', 'BOULEVARD', 'CHEMIN', 'IMPASSE', 'ALLÉE', 'PLACE'];
const STREET_NAMES = (
  'DES LILAS|DU MOULIN|DES ÉCOLES|VICTOR HUGO|JEAN JAURÈS|DE LA RÉPUBLIQUE|DES TILLEULS|' +
  'DU GÉNÉRAL DE GAULLE|PASTEUR|DES VIGNES|DE LA GARE|DU CHÂTEAU|DES PRÉS|' +
  "DE L'ÉGLISE|DES ACACIAS|DU STADE|DES PEUPLIERS|SAINT-EXUPÉRY|DE LA FONTAINE"
).split('|');

const ESTABLISHMENT_NAMES = (
  'DES TILLEULS|JEAN MOULIN|VICTOR HUGO|MARIE CURIE|JULES FERRY|LOUIS PASTEUR|ALBERT CAMUS|' +
  'SIMONE VEIL|JEAN JAURÈS|LÉONARD DE VINCI|JACQUES PRÉVERT|GEORGE SAND|JEAN DE LA FONTAINE|' +
  'ANTOINE DE SAINT-EXUPÉRY|CHARLES PÉGUY|PAUL ÉLUARD|LES COQUELICOTS|LES GRANDS CHÊNES|' +
  'JULES VERNE|ÉMILE ZOLA|GUY DE MAUPASSANT|RENÉ CASSIN|ARISTIDE BRIAND|LOUISE MICHEL|' +
  "JEANNE D'ARC|LE BOIS JOLI|LES SOURCES|PABLO NERUDA|OLYMPE DE GOUGES|GUSTAVE EIFFEL"
).split('|');

export interface Town {
  readonly name: string;
  readonly postalCode: string;
}

export function drawTown(rng: Rng, index: number): Town {
  return {
    name: rng.pick(TOWN_ROOTS) + rng.pick(TOWN_SUFFIXES),
    postalCode: String(99000 + ((index * 10) % 1000)).padStart(5, '0'),
  };
}

export function drawEstablishmentName(rng: Rng): string {
  return rng.pick(ESTABLISHMENT_NAMES);
}

/** A 4-line `ENTPersonAdresse` (`$`-joined; empty lines kept). */
export function drawAddress(rng: Rng): string {
  const line1 = `${rng.range(1, 120)} ${rng.pick(STREET_KINDS)} ${rng.pick(STREET_NAMES)}`;
  const line2 = rng.chance(0.12) ? `BAT ${rng.pick(['A', 'B', 'C'])} APPT ${rng.range(1, 40)}` : '';
  return `${line1}$${line2}$$`;
}

/** A 10-digit French phone number (`01`–`05` landline, `06`/`07` mobile). */
export function drawPhone(rng: Rng, mobile: boolean): string {
  const prefix = mobile ? rng.pick(['06', '07']) : `0${rng.range(1, 5)}`;
  return prefix + String(rng.int(100_000_000)).padStart(8, '0');
}
