import type { RejectCode } from './model.js';

// The shape of one request (ficAlimMENESR.dtd) and the state kept while it is parsed.

export type Op = 'add' | 'modify' | 'delete';

/** Request element → operation. */
export const OPS: Readonly<Record<string, Op>> = {
  addRequest: 'add',
  modifyRequest: 'modify',
  deleteRequest: 'delete',
};

/** The section each request must hold besides operationalAttributes and identifier. */
export const BODY: Readonly<Record<Op, string | null>> = {
  add: 'attributes',
  modify: 'modifications',
  delete: null,
};

/** Section → the only element it may contain. */
export const ITEM_OF: Readonly<Record<string, string>> = {
  operationalAttributes: 'attr',
  identifier: 'id',
  attributes: 'attr',
  modifications: 'modification',
};

export interface Draft {
  op: Op;
  element: string;
  line: number;
  categoryAttribute: string | null;
  category: string | null;
  id: string | null;
  /** name → values, built in place (3× cheaper than a Map turned into an object). */
  attributes: Record<string, string[]>;
  sections: Set<string>;
  /** Distinct attribute names so far (the AAF_MAX_ATTRIBUTES_PER_RECORD bound). */
  names: number;
  problem: { code: RejectCode; message: string } | null;
  chars: number;
}

export function newDraft(op: Op, element: string, line: number): Draft {
  return {
    op,
    element,
    line,
    categoryAttribute: null,
    category: null,
    id: null,
    attributes: {},
    sections: new Set(),
    names: 0,
    problem: null,
    chars: 0,
  };
}

/** The values of an attribute of the draft, created empty on first use. */
export function valuesOf(draft: Draft, name: string): string[] {
  const { attributes } = draft;
  let values = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  if (values === undefined) {
    values = [];
    draft.names++;
    // `__proto__` as a plain store would set the prototype instead of adding a key
    if (name === '__proto__') {
      Object.defineProperty(attributes, name, {
        value: values,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      attributes[name] = values;
    }
  }
  return values;
}

/** A compact key for the duplicate check: numbers for plain numeric ids (most of them). */
export function idKey(id: string): string | number {
  if (id.length > 15) return id;
  const n = Number(id);
  return Number.isInteger(n) && n > 0 && String(n) === id ? n : id;
}

/** Whitespace only (fast for the usual newline between elements). */
export function isBlank(text: string): boolean {
  return text === '\n' || text === '\r\n' || !/\S/.test(text);
}
