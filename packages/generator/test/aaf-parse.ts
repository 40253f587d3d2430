// Test helper: reads a generated AAF file with saxes (independently of the generator's code
// and of the reader package) into plain records.
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { HTML_ENTITIES } from '../src/index.js';

export interface ParsedRecord {
  readonly op: 'add' | 'modify' | 'delete';
  readonly category: string;
  readonly id: string;
  readonly attrs: Map<string, string[]>;
}

export interface ParsedFile {
  readonly encoding: string;
  readonly root: string;
  readonly records: ParsedRecord[];
  /** HTML named entities met (replaced before parsing, as robust readers do). */
  readonly namedEntities: number;
}

const OPS: Record<string, ParsedRecord['op']> = {
  addRequest: 'add',
  modifyRequest: 'modify',
  deleteRequest: 'delete',
};

const cache = new Map<string, ParsedFile>();

/** Parses one file (memoised per path); throws on any well-formedness error. */
export function parseAafFile(path: string): ParsedFile {
  const hit = cache.get(path);
  if (hit) return hit;
  const parsed = parseUncached(path);
  cache.set(path, parsed);
  return parsed;
}

function parseUncached(path: string): ParsedFile {
  const bytes = readFileSync(path);
  const head = bytes.subarray(0, 100).toString('latin1');
  const encoding = /encoding="([^"]+)"/.exec(head)?.[1] ?? 'UTF-8';
  let text = new TextDecoder(encoding.toLowerCase(), { fatal: true }).decode(bytes);
  let namedEntities = 0;
  text = text.replace(/&([A-Za-z]+);/g, (whole, name: string) => {
    const ch = HTML_ENTITIES[name];
    if (ch === undefined) return whole;
    namedEntities++;
    return ch;
  });
  const records: ParsedRecord[] = [];
  const stack: string[] = [];
  let root = '';
  let current: {
    op: ParsedRecord['op'];
    category: string;
    id: string;
    attrs: Map<string, string[]>;
  } | null = null;
  let attrName: string | null = null;
  let inOperational = false;
  let textBuf = '';
  const parser = new SaxesParser();
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    if (stack.length === 0) root = tag.name;
    stack.push(tag.name);
    textBuf = '';
    const op = OPS[tag.name];
    if (op) {
      if (stack.length !== 2) throw new Error(`${tag.name} not directly under the root`);
      current = { op, category: '', id: '', attrs: new Map() };
    } else if (tag.name === 'operationalAttributes') inOperational = true;
    else if (tag.name === 'attr' || tag.name === 'modification') {
      attrName = String(tag.attributes.name);
      if (tag.name === 'modification' && tag.attributes.operation !== 'replace')
        throw new Error('operation must be replace');
      if (!inOperational && current) current.attrs.set(attrName, current.attrs.get(attrName) ?? []);
    }
  });
  parser.on('text', (t) => {
    textBuf += t;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (!current) return;
    if (tag.name === 'value' && attrName !== null) {
      if (inOperational) current.category = textBuf;
      else current.attrs.get(attrName)?.push(textBuf);
    } else if (tag.name === 'id') current.id = textBuf;
    else if (tag.name === 'operationalAttributes') inOperational = false;
    else if (OPS[tag.name]) {
      records.push(current);
      current = null;
    }
    textBuf = '';
  });
  parser.write(text).close();
  return { encoding, root, records, namedEntities };
}

/** Values of an attribute without empty ones. */
export function vals(r: ParsedRecord, name: string): string[] {
  return (r.attrs.get(name) ?? []).filter((v) => v !== '');
}

export function first(r: ParsedRecord, name: string): string {
  return vals(r, name)[0] ?? '';
}
