import type { CalendarDocument } from './document.schema.js';
import type { CalendarTargetKind } from './kinds.js';

/**
 * A consumer of the directory feed: the directory itself (files applied or only kept), or a
 * target (a kind, and optionally its name for a per-target override).
 */
export type FeedConsumer =
  | { readonly kind: 'directory' }
  | { readonly kind: CalendarTargetKind; readonly name?: string | undefined };

export interface ResolvedWindow {
  readonly suspendFrom: string;
  readonly resumeOn: string;
  /** Where the dates come from, most specific first (`target:scribe-lyc`, `kind:scribe`, `default`). */
  readonly source: string;
}

/**
 * The suspension window of a target: byTarget (when it names this target) over byKind over
 * default, field by field.
 */
export function targetWindow(
  doc: CalendarDocument,
  target: { kind: CalendarTargetKind; name?: string | undefined },
): ResolvedWindow {
  const t = doc.feed.targets;
  const byKind = t.byKind[target.kind];
  const byTarget = target.name === undefined ? undefined : t.byTarget[target.name];
  const pick = (key: 'suspendFrom' | 'resumeOn') =>
    byTarget?.[key] ?? byKind?.[key] ?? t.default[key];
  const source = byTarget ? `target:${target.name}` : byKind ? `kind:${target.kind}` : 'default';
  return { suspendFrom: pick('suspendFrom'), resumeOn: pick('resumeOn'), source };
}

/** The window of any consumer (the directory has its own). */
export function consumerWindow(doc: CalendarDocument, consumer: FeedConsumer): ResolvedWindow {
  if (consumer.kind === 'directory') return { ...doc.feed.directory, source: 'directory' };
  return targetWindow(doc, consumer);
}
