/**
 * The attributes through which a person record names establishments, in the order a reject is
 * attributed by: the administrative attachment first, then classes, groups, functions,
 * direction and teaching (the first field of each composite is a structure jointure).
 */
const NAMING = [
  'ENTPersonStructRattach',
  'ENTEleveClasses',
  'ENTPersonClasses',
  'ENTEleveGroupes',
  'ENTPersonGroupes',
  'ENTPersonFonctions',
  'ENTEnsFonctionDir',
  'ENTAuxEnsClassesMatieres',
  'ENTAuxEnsGroupesMatieres',
  'ENTAuxEnsClasses',
  'ENTAuxEnsGroupes',
  'ENTAuxEnsClassesPrincipal',
] as const;

const structureOf = (value: string) => value.split('$')[0]!.trim();

/** The structures of the delivery's scope: the key of an AAF id, and whether it is held. */
export interface StructureKeys {
  keyOf(id: string): string;
  has(key: string): boolean;
}

/**
 * The first known establishment a record names (attachment, classes, functions…), so that its
 * rejects are listed under it (an establishment-scoped reader sees its own rejects); null when it
 * names none the directory holds. Its directory key (the attributes hold AAF ids).
 */
export function namedStructure(
  attributes: Readonly<Record<string, readonly string[]>>,
  structures: StructureKeys,
): string | null {
  for (const name of NAMING) {
    for (const value of attributes[name] ?? []) {
      const s = structureOf(value);
      if (s === '') continue;
      const key = structures.keyOf(s);
      if (structures.has(key)) return key;
    }
  }
  return null;
}

const ATTRIBUTE = /<(attr|modification)\s+name="([A-Za-z]+)"[^>]*>([\s\S]*?)<\/\1>/g;
const VALUE = /<value>([^<]*)<\/value>/g;

/**
 * The same, from the raw XML of a request the reader could not turn into a record (a malformed
 * request has no attributes to read): a light scan of its `<attr>` / `<modification>` values.
 */
export function namedStructureInXml(xml: string, structures: StructureKeys): string | null {
  const attributes: Record<string, string[]> = {};
  for (const m of xml.matchAll(ATTRIBUTE)) {
    const values = [...m[3]!.matchAll(VALUE)].map((v) => v[1]!);
    (attributes[m[2]!] ??= []).push(...values);
  }
  return namedStructure(attributes, structures);
}
