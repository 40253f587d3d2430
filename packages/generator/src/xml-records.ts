import { escapeText, type TextMode } from './xml-escape.js';

/** Building blocks of ficAlimMENESR requests (one line per attribute, as the samples). */

/** An attribute as the pair the renderers list: name and values ([] writes `<value/>`). */
export type Attr = readonly [name: string, values: readonly string[]];

function values(list: readonly string[], mode: TextMode): string {
  if (list.length === 0) return '<value/>';
  let out = '';
  for (const v of list) out += v === '' ? '<value/>' : `<value>${escapeText(v, mode)}</value>`;
  return out;
}

function operational(categoryAttribute: string, category: string): string {
  return `<operationalAttributes><attr name="${categoryAttribute}"><value>${category}</value></attr></operationalAttributes>\n`;
}

/** An `<addRequest>` with every attribute listed. */
export function addRequest(
  categoryAttribute: string,
  category: string,
  id: string,
  attrs: readonly Attr[],
  mode: TextMode,
): string {
  let out = `<addRequest>\n${operational(categoryAttribute, category)}<identifier><id>${id}</id></identifier>\n<attributes>\n`;
  for (const [name, list] of attrs) out += `<attr name="${name}">${values(list, mode)}</attr>\n`;
  return `${out}</attributes>\n</addRequest>\n`;
}

/** A `<modifyRequest>`: each modification replaces the attribute's whole value set. */
export function modifyRequest(
  categoryAttribute: string,
  category: string,
  id: string,
  mods: readonly Attr[],
  mode: TextMode,
): string {
  let out = `<modifyRequest>\n${operational(categoryAttribute, category)}<identifier><id>${id}</id></identifier>\n<modifications>\n`;
  for (const [name, list] of mods) {
    out += `<modification name="${name}" operation="replace">${values(list, mode)}</modification>\n`;
  }
  return `${out}</modifications>\n</modifyRequest>\n`;
}

export function deleteRequest(categoryAttribute: string, category: string, id: string): string {
  return `<deleteRequest>\n${operational(categoryAttribute, category)}<identifier><id>${id}</id></identifier>\n</deleteRequest>\n`;
}

/** Values of a single-valued attribute: [] when empty. */
export function one(value: string | null | undefined): readonly string[] {
  return value ? [value] : [];
}
