import type { SaxesParser, SaxesStartTagPlain, SaxesTagPlain } from 'saxes';

/** The saxes 6 events the reader listens to. */
export interface SaxesHandlers {
  readonly openTagStart: (tag: SaxesStartTagPlain) => void;
  readonly attribute: () => void;
  readonly openTag: (tag: SaxesTagPlain) => void;
  readonly closeTag: () => void;
  readonly text: (text: string) => void;
  readonly cdata: (text: string) => void;
  readonly comment: (text: string) => void;
  readonly doctype: (doctype: string) => void;
  readonly error: (err: Error) => void;
}

/** The handler fields of saxes 6.0.0 (what `parser.on(event, fn)` assigns). */
interface HandlerFields {
  openTagStartHandler: unknown;
  attributeHandler: unknown;
  openTagHandler: unknown;
  closeTagHandler: unknown;
  textHandler: unknown;
  cdataHandler: unknown;
  commentHandler: unknown;
  doctypeHandler: unknown;
  errorHandler: unknown;
}

/**
 * Installs the handlers with plain property stores. `parser.on()` stores with a computed key;
 * V8 turns an object that receives many computed-key stores after construction into a slow
 * dictionary-mode object, and with nine handlers the whole parser ran about 4× slower
 * (measured). Named stores keep its fast properties. Tied to saxes 6.0.0's field names
 * (the dependency is pinned; the reader tests fail if they change).
 */
export function installHandlers(parser: SaxesParser<object>, h: SaxesHandlers): void {
  const fields = parser as unknown as HandlerFields;
  fields.openTagStartHandler = h.openTagStart;
  fields.attributeHandler = h.attribute;
  fields.openTagHandler = h.openTag;
  fields.closeTagHandler = h.closeTag;
  fields.textHandler = h.text;
  fields.cdataHandler = h.cdata;
  fields.commentHandler = h.comment;
  fields.doctypeHandler = h.doctype;
  fields.errorHandler = h.error;
}
