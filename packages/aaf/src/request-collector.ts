import type { SaxesParser, SaxesTagPlain } from 'saxes';
import { unescapeLeftovers } from './html-entities.js';
import { categoryProblem } from './categories.js';
import { AafErrors } from './errors.js';
import type { AafLimits } from './limits.js';
import type { AafEntity, ReaderItem, RejectCode, UnchangedItem } from './model.js';
import type { SaxesHandlers } from './saxes-handlers.js';
import type { RawWindow } from './raw-window.js';
import {
  BODY,
  idKey,
  isBlank,
  ITEM_OF,
  newDraft,
  OPS,
  valuesOf,
  type Draft,
} from './request-draft.js';

/** Above this many characters of values, a request is refused (bounded per-record state). */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;
/** Values of one attribute are deduplicated with a Set beyond this count (never quadratic). */
const SET_FROM = 32;

/**
 * Turns the parser's events inside `<ficAlimMENESR>` into reader items: one per request, a
 * record or a record-level reject (with the request's raw text). Keeps only the request being
 * parsed, plus the ids already seen (for DUPLICATE_RECORD).
 */
export class RequestCollector {
  readonly items: (ReaderItem | UnchangedItem)[] = [];
  records = 0;
  rejects = 0;
  formatVersion: string | null = null;
  rootOpened = false;
  rootClosed = false;
  /** Set by the caller when the root opens (see read-aaf-file). */
  onRoot: (tag: SaxesTagPlain, line: number) => void = () => undefined;

  private depth = 0;
  private draft: Draft | null = null;
  /** A non-request element in the root: rejected as a whole. */
  private stray: { name: string; line: number } | null = null;
  private section: string | null = null;
  private item: string | null = null;
  private itemValues: string[] | null = null;
  private itemSet: Set<string> | null = null;
  private requests = 0;
  /** XML attributes of the tag being opened. */
  private tagAttributes = 0;
  private capturing = false;
  private text = '';
  private readonly seen = new Set<string | number>();

  constructor(
    private readonly parser: SaxesParser<object>,
    private readonly window: RawWindow,
    private readonly entity: AafEntity | undefined,
    private readonly fileName: string,
    private readonly limits: AafLimits,
  ) {}

  /** The parser events this collector handles (wired by ParseSession). */
  handlers(): Omit<SaxesHandlers, 'doctype' | 'error'> {
    return {
      openTagStart: (tag) => {
        // saxes keeps a stack of open tags: bound it before this one is pushed
        if (this.depth >= this.limits.maxDepth) {
          throw AafErrors.TOO_DEEP({
            fileName: this.fileName,
            line: this.parser.line,
            limit: this.limits.maxDepth,
          });
        }
        this.tagAttributes = 0;
        if (this.depth === 1) this.window.begin(this.parser.position - tag.name.length - 1);
      },
      attribute: () => {
        if (++this.tagAttributes > this.limits.maxXmlAttributes) {
          throw AafErrors.TOO_MANY_XML_ATTRIBUTES({
            fileName: this.fileName,
            line: this.parser.line,
            limit: this.limits.maxXmlAttributes,
          });
        }
      },
      openTag: (tag) => this.open(tag),
      closeTag: () => this.close(),
      text: (text) => this.onText(text),
      cdata: (text) => this.onText(text, true),
      comment: (text) => {
        if (this.formatVersion !== null || text.indexOf('versionAF') < 0) return;
        const match = /versionAF\s*=\s*["']([^"']*)["']/.exec(text);
        if (match) this.formatVersion = match[1]!;
      },
    };
  }

  /** Inside the root, between two requests (no request, stray element or value open). */
  get betweenRequests(): boolean {
    return this.depth === 1 && this.draft === null && this.stray === null && !this.capturing;
  }

  /**
   * Accounts for a request skipped without parsing (see readAafFileSkipping) as a record of the
   * file: the request bound, the ids seen. False when its id already appeared in this file: it
   * must then be parsed (and rejected as a duplicate).
   */
  skip(item: UnchangedItem): boolean {
    const key = idKey(item.id);
    if (this.seen.has(key)) return false;
    this.countItem();
    this.seen.add(key);
    this.records++;
    this.items.push(item);
    return true;
  }

  /** Marks the current request as bad (first problem wins); parsing goes on. */
  spoil(message: string, code: RejectCode = 'MALFORMED_RECORD'): boolean {
    if (this.draft === null) return false;
    this.draft.problem ??= { code, message };
    return true;
  }

  private open(tag: SaxesTagPlain): void {
    const depth = ++this.depth;
    if (depth === 1) {
      this.rootOpened = true;
      this.onRoot(tag, this.parser.line);
    } else if (depth === 2) {
      this.openRequest(tag.name);
    } else if (this.draft !== null) {
      if (depth === 3) this.openSection(tag.name);
      else if (depth === 4) this.openItem(tag);
      else if (depth === 5 && tag.name === 'value' && this.item !== 'id') this.startText();
      else this.spoil(`unexpected <${tag.name}> in <${this.item ?? this.section}>`);
    }
  }

  private openRequest(name: string): void {
    this.countItem();
    const op = OPS[name];
    if (op === undefined) {
      this.stray = { name, line: this.parser.line };
      return;
    }
    this.draft = newDraft(op, name, this.parser.line);
  }

  private openSection(name: string): void {
    const draft = this.draft!;
    this.section = name;
    const allowed =
      name === 'operationalAttributes' || name === 'identifier' || name === BODY[draft.op];
    if (!allowed) this.spoil(`unexpected <${name}> in <${draft.element}>`);
    else if (draft.sections.has(name)) this.spoil(`<${name}> appears twice`);
    draft.sections.add(name);
  }

  private openItem(tag: SaxesTagPlain): void {
    const draft = this.draft!;
    const section = this.section ?? '';
    this.item = tag.name;
    if (ITEM_OF[section] !== tag.name) {
      this.spoil(`unexpected <${tag.name}> in <${section}>`);
      return;
    }
    if (tag.name === 'id') {
      if (draft.id !== null) this.spoil('<identifier> holds more than one <id>');
      this.startText();
      return;
    }
    const name = tag.attributes.name;
    if (name === undefined || name === '') {
      this.spoil(`<${tag.name}> without a name attribute`);
      return;
    }
    if (section === 'operationalAttributes') {
      if (draft.categoryAttribute !== null) this.spoil('more than one operational attribute');
      draft.categoryAttribute = name;
      return;
    }
    if (tag.name === 'modification' && tag.attributes.operation !== 'replace') {
      const op = tag.attributes.operation;
      this.spoil(
        op === undefined
          ? `modification of ${name} without an operation (only "replace" is supported)`
          : `modification of ${name}: operation "${op}" is not supported (only "replace")`,
        'UNSUPPORTED_OPERATION',
      );
      return;
    }
    this.itemValues = valuesOf(draft, name);
    this.itemSet = null;
    if (draft.names > this.limits.maxAttributes) {
      throw AafErrors.TOO_MANY_ATTRIBUTES({
        fileName: this.fileName,
        line: draft.line,
        limit: this.limits.maxAttributes,
      });
    }
  }

  private startText(): void {
    this.capturing = true;
    this.text = '';
  }

  private onText(text: string, cdata = false): void {
    if (this.capturing) {
      // a value split into many pieces (CDATA sections, comments) is bounded here, not by saxes
      if (this.text.length + text.length > MAX_RECORD_CHARS) {
        this.spoil(`a value larger than ${MAX_RECORD_CHARS} characters`);
        this.text = '';
      } else {
        this.text += text;
      }
    } else if (this.depth >= 1 && (cdata || !isBlank(text))) {
      if (!this.spoil(`unexpected text in <${this.item ?? this.section ?? 'request'}>`)) {
        if (this.depth === 1 && this.stray === null) this.rejectText(text);
      }
    }
  }

  private close(): void {
    const depth = this.depth--;
    if (depth === 1) {
      this.rootClosed = true;
    } else if (depth === 2) {
      this.closeRequest();
    } else if (this.draft !== null) {
      if (depth === 3) this.section = null;
      else if (depth === 4) this.closeItem();
      else if (depth === 5 && this.capturing) this.closeValue();
    }
  }

  private closeValue(): void {
    this.capturing = false;
    const draft = this.draft!;
    const value = unescapeLeftovers(this.text);
    this.text = '';
    draft.chars += value.length + 8;
    if (draft.chars > MAX_RECORD_CHARS) {
      this.spoil(`record larger than ${MAX_RECORD_CHARS} characters`);
      return;
    }
    if (this.itemValues !== null) {
      this.addValue(this.itemValues, value);
    } else if (this.section === 'operationalAttributes' && draft.category === null) {
      draft.category = value;
    }
  }

  /** Requests and stray texts of the file: bounds the ids kept for DUPLICATE_RECORD, and rejects. */
  private countItem(): void {
    if (++this.requests > this.limits.maxRecords) {
      throw AafErrors.TOO_MANY_RECORDS({
        fileName: this.fileName,
        line: this.parser.line,
        limit: this.limits.maxRecords,
      });
    }
  }

  private addValue(values: string[], value: string): void {
    if (values.length < SET_FROM) {
      if (values.includes(value)) return;
    } else {
      this.itemSet ??= new Set(values);
      if (this.itemSet.has(value)) return;
      this.itemSet.add(value);
    }
    values.push(value);
    if (values.length > this.limits.maxValues) {
      throw AafErrors.TOO_MANY_VALUES({
        fileName: this.fileName,
        line: this.draft!.line,
        attribute: this.attributeName(values),
        limit: this.limits.maxValues,
      });
    }
  }

  /** The name of the draft attribute holding `values` (for messages). */
  private attributeName(values: string[]): string {
    const { attributes } = this.draft!;
    return Object.keys(attributes).find((k) => attributes[k] === values) ?? '?';
  }

  private closeItem(): void {
    const draft = this.draft!;
    if (this.item === 'id' && this.capturing) {
      this.capturing = false;
      draft.id = unescapeLeftovers(this.text).trim();
      this.text = '';
    }
    this.item = null;
    this.itemValues = null;
    this.itemSet = null;
  }

  private closeRequest(): void {
    const end = this.parser.position;
    if (this.stray !== null) {
      const { name, line } = this.stray;
      this.stray = null;
      this.reject(line, null, 'MALFORMED_RECORD', `unexpected <${name}> in <ficAlimMENESR>`, end);
      return;
    }
    const draft = this.draft!;
    this.draft = null;
    this.section = this.item = null;
    this.itemValues = null;
    this.itemSet = null;
    this.capturing = false;
    const id = draft.id === '' ? null : draft.id;
    const problem = this.problemOf(draft, id);
    if (problem !== null) {
      this.reject(draft.line, id, problem.code, problem.message, end);
      return;
    }
    this.seen.add(idKey(id!));
    this.window.drop();
    this.records++;
    this.items.push({
      type: 'record',
      record: {
        op: draft.op,
        categoryAttribute: draft.categoryAttribute,
        category: draft.category,
        id: id!,
        attributes: draft.attributes,
        line: draft.line,
      },
    });
  }

  private problemOf(draft: Draft, id: string | null): Draft['problem'] {
    if (draft.problem !== null) return draft.problem;
    if (id === null) return { code: 'MISSING_IDENTIFIER', message: 'no <identifier><id>' };
    const body = BODY[draft.op];
    if (body !== null && !draft.sections.has(body)) {
      return { code: 'MALFORMED_RECORD', message: `<${draft.element}> without <${body}>` };
    }
    const mismatch = categoryProblem(this.entity, draft.categoryAttribute, draft.category);
    if (mismatch !== null) return { code: 'CATEGORY_MISMATCH', message: mismatch };
    if (this.seen.has(idKey(id))) {
      return { code: 'DUPLICATE_RECORD', message: `id ${id} already appeared in this file` };
    }
    return null;
  }

  private reject(
    line: number,
    id: string | null,
    code: RejectCode,
    message: string,
    end: number,
  ): void {
    this.rejects++;
    const raw = this.window.take(end);
    this.items.push({ type: 'reject', line, id, reject: { code, message }, raw });
  }

  private rejectText(text: string): void {
    this.countItem();
    this.rejects++;
    const raw = text.trim().slice(0, 1024);
    const line = this.parser.line;
    const reject = { code: 'MALFORMED_RECORD' as const, message: 'text outside any request' };
    this.items.push({ type: 'reject', line, id: null, reject, raw });
  }
}
