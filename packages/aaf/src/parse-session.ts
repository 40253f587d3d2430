import { SaxesParser } from 'saxes';
import { AafErrors } from './errors.js';
import { HTML_ENTITIES } from './html-entities.js';
import type { AafLimits } from './limits.js';
import type { AafEntity, UnchangedItem } from './model.js';
import { RawWindow } from './raw-window.js';
import { RequestCollector } from './request-collector.js';
import { installHandlers } from './saxes-handlers.js';

export const ROOT = 'ficAlimMENESR';
/** Characters allowed before the root element (declaration, DOCTYPE, comments). */
const MAX_PROLOG = 1024 * 1024;

/** Limits on what saxes holds between two chunks (see checkPending). */
const MAX_ENTITY = 64;
const MAX_TEXT = 8 * 1024 * 1024;
const MAX_NAME = 64 * 1024;

/** saxes 6.0.0's state between markup (`S_TEXT` in saxes.js; the dependency is pinned). */
const SAXES_S_TEXT = 13;

/** The saxes 6.0.0 fields that accumulate unfinished tokens. */
interface SaxesPending {
  readonly entity: string;
  readonly text: string;
  readonly name: string;
}

/** saxes failures that stay inside one value, and the record reject message they give. */
const RECOVERABLE: Readonly<Record<string, string>> = {
  'undefined entity': 'undefined entity (neither XML nor HTML 4)',
  'disallowed character': 'character not allowed in XML (a control character?)',
};

/** saxes reports problems as `file:line:col: message`; keep the message only. */
function reasonOf(err: Error): string {
  return err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
}

/**
 * One file's XML parsing: the saxes parser (strict, no namespaces, HTML entity table, nothing
 * external ever resolved) wired to a RequestCollector. Text goes in with `feed`; reader items
 * come out of `collector.items`; file-level problems are thrown as AafErrors.
 */
export class ParseSession {
  readonly collector: RequestCollector;
  private readonly parser = new SaxesParser({ position: true });
  private readonly window = new RawWindow();
  private fed = 0;
  private content = false;

  constructor(
    private readonly fileName: string,
    entity: AafEntity | undefined,
    limits: AafLimits,
  ) {
    const { parser } = this;
    parser.ENTITIES = HTML_ENTITIES as Record<string, string>;
    const collector = new RequestCollector(parser, this.window, entity, fileName, limits);
    this.collector = collector;
    collector.onRoot = (tag, line) => {
      if (tag.name !== ROOT) throw AafErrors.WRONG_ROOT({ fileName, line, root: tag.name });
    };
    installHandlers(parser, {
      ...collector.handlers(),
      doctype: (doctype) => {
        if (/<!ENTITY/i.test(doctype)) {
          throw AafErrors.ENTITY_DECLARATION({ fileName, line: parser.line });
        }
      },
      error: (err) => this.onError(err),
    });
  }

  /** Parses the next piece of decoded text. */
  feed(text: string): void {
    if (text.length === 0) return;
    if (!this.content && /\S/.test(text)) this.content = true;
    this.window.write(text);
    this.parser.write(text);
    this.fed += text.length;
    if (!this.collector.rootOpened && this.fed > MAX_PROLOG) {
      this.malformed(`no <${ROOT}> in the first ${MAX_PROLOG} characters`);
    }
    this.checkPending();
  }

  /** The parser's current line (1-based). */
  get line(): number {
    return this.parser.line;
  }

  /**
   * Between two requests of the root, in plain text (no comment, CDATA or tag open): where an
   * addRequest element can be skipped or hashed as a whole.
   */
  betweenRequests(): boolean {
    const { state } = this.parser as unknown as { readonly state: number };
    return this.collector.betweenRequests && state === SAXES_S_TEXT;
  }

  /**
   * A request skipped without parsing: counted by the collector, and its line breaks given to
   * the parser (line numbers of later requests stay those of the file). False when it must be
   * parsed after all (its id already appeared in the file).
   */
  skip(item: UnchangedItem, lineBreaks: string): boolean {
    if (!this.collector.skip(item)) return false;
    this.feed(lineBreaks);
    return true;
  }

  /**
   * saxes accumulates unfinished tokens without limit; a bare `&` even makes it swallow the rest
   * of the file as an entity name. Bound them (per chunk, so at no per-character cost).
   */
  private checkPending(): void {
    const pending = this.parser as unknown as SaxesPending;
    if (pending.entity.length > MAX_ENTITY) {
      this.malformed('"&" not followed by an entity reference (a bare & must be written &amp;)');
    }
    if (pending.text.length > MAX_TEXT)
      this.malformed(`a text of more than ${MAX_TEXT} characters`);
    if (pending.name.length > MAX_NAME)
      this.malformed(`a name of more than ${MAX_NAME} characters`);
  }

  /** End of input: checks that the document was complete. */
  finish(): void {
    const { collector, parser } = this;
    if (!this.content) throw AafErrors.EMPTY_FILE({ fileName: this.fileName });
    if ((this.parser as unknown as SaxesPending).entity.length > 0) {
      this.malformed('"&" not followed by an entity reference (a bare & must be written &amp;)');
    }
    if (!collector.rootClosed) {
      const reason = collector.rootOpened
        ? 'input ended inside the document'
        : `input ended before the <${ROOT}> element`;
      throw AafErrors.TRUNCATED({ fileName: this.fileName, line: parser.line, reason });
    }
    parser.close();
  }

  private onError(err: Error): void {
    const reason = reasonOf(err);
    // Problems confined to one character spoil their record only (saxes goes on, keeping the
    // text as written); anything structural fails the file.
    const recoverable = RECOVERABLE[reason];
    if (recoverable !== undefined && this.collector.spoil(recoverable)) return;
    this.malformed(reason);
  }

  private malformed(reason: string): never {
    const { line, column } = this.parser;
    throw AafErrors.MALFORMED_XML({ fileName: this.fileName, line, column, reason });
  }
}
