import type { Reader } from './reader.js';

/**
 * The parts of a person that belong to an establishment, reduced to the reader's: structure
 * lists, the primary structure, and `details` entries that name a structure (`{ structure, … }`
 * items such as a pupil's class entries or a teacher's MEFs and subjects per establishment).
 * Unrestricted readers get values unchanged. Pure functions over the JSON already read.
 */

/** True when the reader sees the structure with this jointure. */
export function structureVisible(reader: Reader, jointure: unknown): boolean {
  return (
    reader.structures === null || (typeof jointure === 'string' && reader.structures.has(jointure))
  );
}

/** A list of structure jointures reduced to the reader's (anything else unchanged). */
export function visibleStructures(reader: Reader, value: unknown): unknown {
  if (reader.structures === null || !Array.isArray(value)) return value;
  return value.filter((s) => structureVisible(reader, s));
}

/** A primary structure: null when it is not one of the reader's. */
export function visiblePrimary(reader: Reader, value: unknown): unknown {
  if (reader.structures === null || value === null || value === undefined) return value;
  return structureVisible(reader, value) ? value : null;
}

function isForeignItem(reader: Reader, item: unknown): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const structure = (item as { structure?: unknown }).structure;
  return typeof structure === 'string' && !structureVisible(reader, structure);
}

/** One details value (`details.<theme>.<name>`): list items of a foreign structure removed. */
export function visibleDetailValue(reader: Reader, value: unknown): unknown {
  if (reader.structures === null || !Array.isArray(value)) return value;
  return value.some((v) => isForeignItem(reader, v))
    ? value.filter((v) => !isForeignItem(reader, v))
    : value;
}

/** `details` (themes of fields) with the entries of foreign structures removed. */
export function visibleDetails<T>(reader: Reader, details: T): T {
  if (reader.structures === null || details === null || typeof details !== 'object') {
    return details;
  }
  const out: Record<string, unknown> = {};
  for (const [theme, fields] of Object.entries(details)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      out[theme] = visibleDetailValue(reader, fields);
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
      const visible = visibleDetailValue(reader, value);
      // A list emptied by the filter is dropped, as the engine drops empty values.
      if (
        Array.isArray(visible) &&
        visible.length === 0 &&
        Array.isArray(value) &&
        value.length > 0
      )
        continue;
      kept[name] = visible;
    }
    if (Object.keys(kept).length > 0) out[theme] = kept;
  }
  return out as T;
}

/** UAIs reduced to the reader's. */
export function visibleUais(reader: Reader, uais: readonly string[]): string[] {
  if (reader.uais === null) return [...uais];
  return uais.filter((u) => reader.uais!.has(u));
}
