import { localWhenOf, type Transition } from '@aaf-sync/calendar';

/** Who a transition concerns, in a few words. */
export function scopeText(t: Transition): string {
  const s = t.scope;
  const parts: string[] = [];
  if (s.target) parts.push(`target ${s.target}`);
  else if (s.consumer)
    parts.push(s.consumer === 'directory' ? 'directory' : `${s.consumer} targets`);
  if (s.uai) parts.push(`establishment ${s.uai}`);
  if (s.exceptTargets?.length) parts.push(`except targets ${s.exceptTargets.join(',')}`);
  if (s.exceptUais?.length) parts.push(`except ${s.exceptUais.join(',')}`);
  return parts.length ? parts.join(', ') : 'everybody';
}

/** One line per transition: local time, type, scope, summary. */
export function renderTransitions(transitions: readonly Transition[], timeZone: string): string {
  if (transitions.length === 0) return '(nothing planned in this period)\n';
  return transitions
    .map(
      (t) =>
        `${localWhenOf(t.at, timeZone).replace('T', ' ')}  ${t.type.padEnd(28)}  ` +
        `${scopeText(t).padEnd(22)}  ${t.summary}\n`,
    )
    .join('');
}

/** The JSON form of a transition (instants as ISO strings, with the local time). */
export function transitionJson(t: Transition, timeZone: string) {
  return { ...t, at: t.at.toISOString(), local: localWhenOf(t.at, timeZone) };
}
