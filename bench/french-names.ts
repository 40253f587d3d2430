// A small seeded sampler of French-looking names for benchmarks: common surnames and given
// names drawn with a Zipf-like law (rank r has weight 1 / r), so a few families ("j.martin")
// grow to thousands of holders, plus a long tail of generated surnames, compounds, particles
// and accents, so most bases are rare, as in a real académie.

/** mulberry32: a tiny deterministic PRNG (same seed, same names). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  `Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau
Vincent Muller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand
Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand
Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas
Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron
Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey
Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier
Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam
Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin
Bailly Hervé Schneider Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel
Le_Roux Cousin Germain Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré
Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne
Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet Gay Lemaître Bénard Maréchal
Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay
Pasquier Carlier Laporte`
    .split(/\s+/u)
    .map((name) => name.replace(/_/g, ' ')); // "Le_Gall": a surname with a space

const GIVEN_NAMES =
  `Jean Marie Pierre Michel Philippe Nathalie Isabelle Sylvie Catherine Alain Patrick
Nicolas Christophe Christine Françoise Stéphane Sophie Valérie Jacques Daniel Sandrine Laurent
Véronique Thomas Julien Frédéric Éric David Céline Olivier Anne Julie Aurélie Camille Léa Emma
Chloé Manon Inès Jade Louise Alice Lina Rose Mila Ambre Anna Lucas Hugo Louis Gabriel Arthur Jules
Adam Raphaël Léo Maël Noah Paul Nathan Ethan Sacha Tom Théo Mathis Enzo Clément Baptiste Maxime
Alexandre Antoine Quentin Romain Kevin Mélanie Élodie Audrey Laura Marine Pauline Clara Sarah Zoé
Mohamed Yanis Rayan Amine Ibrahim Yasmine Nour Ольга Nguyễn Jean-Pierre Marie-Claire Anne-Sophie
Jean-Baptiste Pierre-Louis Marie-Ange`.split(/\s+/u);

const SYLLABLES =
  `ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu
ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to va ve vi vo
bran cour drin fran gran lan mar mon pel ron tan ver vil bert mont val court ville lier det
chard geot quin teau reau lot mier nier`.split(/\s+/u);

const PARTICLES = ['de ', 'de la ', 'du ', 'le ', 'd’', 'van der ', 'da '];

/** Cumulative Zipf weights (rank r ↦ 1 / r^s) for O(log n) sampling. */
function zipfTable(n: number, s: number): Float64Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 1; r <= n; r++) {
    total += 1 / r ** s;
    cumulative[r - 1] = total;
  }
  return cumulative.map((c) => c / total);
}

function pick<T>(items: readonly T[], cumulative: Float64Array, u: number): T {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return items[lo] as T;
}

export interface NameSampler {
  next(): readonly [givenName: string, sn: string];
}

/**
 * `share` of surnames come from the common list (Zipf), the rest is the long tail: generated
 * surnames of 2–4 syllables, sometimes with a particle or hyphenated with a common one.
 */
export function frenchNameSampler(seed: number, share = 0.6): NameSampler {
  const random = seededRandom(seed);
  const surnameWeights = zipfTable(SURNAMES.length, 1);
  const givenWeights = zipfTable(GIVEN_NAMES.length, 0.9);
  const syllable = () => SYLLABLES[Math.floor(random() * SYLLABLES.length)] as string;
  const common = () => pick(SURNAMES, surnameWeights, random());
  const tail = () => {
    const count = 2 + Math.floor(random() * 3);
    let sn = '';
    for (let i = 0; i < count; i++) sn += syllable();
    sn = sn[0]!.toUpperCase() + sn.slice(1);
    const roll = random();
    if (roll < 0.08) return PARTICLES[Math.floor(random() * PARTICLES.length)] + sn;
    if (roll < 0.14) return `${common()}-${sn}`;
    return sn;
  };
  return {
    next: () => [pick(GIVEN_NAMES, givenWeights, random()), random() < share ? common() : tail()],
  };
}
