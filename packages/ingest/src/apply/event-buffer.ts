import { appendEvents, type EventInput, type Executor } from '@aaf-sync/db';

/** Collects events during an apply and appends them in order, in batches, in the transaction. */
export class EventBuffer {
  #buffer: EventInput[] = [];
  #written = 0;
  /** UAIs of every event pushed: the establishments the apply changed. */
  readonly uais = new Set<string>();

  constructor(
    private readonly db: Executor,
    private readonly defaults: { importId: number | null; actor: string | null },
    /** `copy`: appended with `COPY` (a first import's many events). */
    private readonly options: { readonly copy?: boolean } = {},
  ) {}

  get written(): number {
    return this.#written + this.#buffer.length;
  }

  push(event: Omit<EventInput, 'importId' | 'actor'> & { importId?: number | null }): void {
    this.#buffer.push({ importId: this.defaults.importId, actor: this.defaults.actor, ...event });
    for (const uai of event.uais ?? []) this.uais.add(uai);
  }

  /**
   * Appends the buffered events once there are `limit` of them (5,000; 1,000 with `copy`: a COPY
   * costs no more per row in small pieces, and events that wait across batches outlive the
   * young generation, which makes the collector copy and then mark them).
   */
  async flushIfFull(limit = this.options.copy ? 1000 : 5000): Promise<void> {
    if (this.#buffer.length >= limit) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    this.#buffer = [];
    this.#written += events.length;
    await appendEvents(this.db, events, this.options);
  }
}
