/** Raw text kept for one reject, at most (the rest is replaced by a marker). */
export const RAW_CAP = 64 * 1024;
/** Characters kept between requests (more than `<` and any request tag name). */
const KEEP = 64;

/**
 * Keeps the decoded text of the request being parsed, so that a rejected request can be given
 * back as it was written. It holds references to the chunks written since the request started
 * (no copy), never more than RAW_CAP characters of one request, and the last few characters
 * between requests (a start tag may straddle chunks). Positions are indexes in the whole decoded stream, the
 * same as the parser's `position`.
 */
export class RawWindow {
  private segments: string[] = [];
  /** Stream position of segments[0]. */
  private first = 0;
  /** Characters written so far. */
  private total = 0;
  /** Start of the captured request, -1 when none. */
  private anchor = -1;
  /** Set when the request passed RAW_CAP: its first RAW_CAP characters. */
  private prefix: string | null = null;

  write(text: string): void {
    this.segments.push(text);
    this.total += text.length;
    if (this.anchor < 0 || this.prefix !== null) {
      // Between requests keep the last KEEP characters: a start tag may straddle chunks.
      while (
        this.segments.length > 1 &&
        this.total - this.first - this.segments[0]!.length >= KEEP
      ) {
        this.first += this.segments.shift()!.length;
      }
    } else if (this.total - this.anchor > RAW_CAP) {
      const text = this.segments.join('');
      const from = Math.max(0, text.lastIndexOf('<', this.anchor - this.first));
      this.prefix = text.slice(from, from + RAW_CAP);
      while (this.segments.length > 1) this.first += this.segments.shift()!.length;
    }
  }

  /** Starts capturing at the `<` found at or before `approx` (just after a tag name). */
  begin(approx: number): void {
    this.prefix = null;
    this.anchor = approx;
    while (this.segments.length > 1 && this.first + this.segments[0]!.length <= approx - 64) {
      this.first += this.segments.shift()!.length;
    }
  }

  /** The captured text from the request start to `end` (exclusive), then stops capturing. */
  take(end: number): string {
    let raw: string;
    if (this.prefix !== null) {
      raw = `${this.prefix}…[truncated]`;
    } else {
      const text = this.segments.join('');
      const at = text.lastIndexOf('<', Math.max(0, this.anchor - this.first));
      raw = text.slice(Math.max(0, at), Math.max(0, end - this.first));
    }
    this.anchor = -1;
    this.prefix = null;
    return raw;
  }

  /** Stops capturing (the request was fine). */
  drop(): void {
    this.anchor = -1;
    this.prefix = null;
  }
}
