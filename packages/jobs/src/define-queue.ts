import type { z } from 'zod';
import { JobsErrors } from './errors.js';

/** A queue's name and the zod schema of its job data: one definition shared by both ends. */
export interface QueueDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: S;
}

export type PayloadOf<D extends QueueDefinition> = z.output<D['payload']>;

/**
 * Declares a queue. Producers and workers import the same definition, so a payload is checked
 * against one schema when enqueued and again when a worker takes it.
 *
 * @example
 * export const MailQueue = defineQueue({ name: 'mail', payload: z.object({ to: z.email() }) });
 */
export function defineQueue<S extends z.ZodType>(d: {
  name: string;
  payload: S;
}): QueueDefinition<S> {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(d.name))
    throw new TypeError(`queue name "${d.name}" must be lower-case letters, digits and dashes`);
  return Object.freeze({ name: d.name, payload: d.payload });
}

/** Validates job data against the queue schema (JOBS_ERR_INVALID_PAYLOAD when it does not fit). */
export function parsePayload<D extends QueueDefinition>(def: D, data: unknown): PayloadOf<D> {
  const result = def.payload.safeParse(data);
  if (!result.success) {
    const summary = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw JobsErrors.INVALID_PAYLOAD({ queue: def.name, summary });
  }
  return result.data as PayloadOf<D>;
}
