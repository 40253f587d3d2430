import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import {
  allTransitions,
  fakeClock,
  parseCalendarDocument,
  type CalendarDocument,
  type FakeClock,
  type Transition,
  type TransitionType,
} from '@aaf-sync/calendar';
import type { Database, Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { seedPerson, seedStructure } from '@aaf-sync/testing';
import type { EffectContext, NoticeInput } from '@aaf-sync/scheduler';

export const EXAMPLE_URL = new URL('../../calendar/examples/2025-2026.json', import.meta.url);

export function exampleDocument(): CalendarDocument {
  return parseCalendarDocument(JSON.parse(readFileSync(EXAMPLE_URL, 'utf8')) as unknown);
}

/** The transitions of one type of the shipped example, in order. */
export function transitionsOf(doc: CalendarDocument, type: TransitionType): Transition[] {
  return allTransitions(doc, { deliveries: false }).filter((t) => t.type === type);
}

export const silentLog = createLogger(
  { level: 'warn' },
  new Writable({ write: (_c, _e, done) => done() }),
);

/**
 * An effect context on a real database with a fake clock and a notify that records the notices
 * by dedupe key (as the real notice store does: the same key twice is one notice).
 */
export function effectContext(
  db: Kysely<Database>,
  start: Date,
): EffectContext & { clock: FakeClock; notices: Map<string, NoticeInput>; calls: NoticeInput[] } {
  const notices = new Map<string, NoticeInput>();
  const calls: NoticeInput[] = [];
  return {
    db,
    clock: fakeClock(start),
    log: silentLog,
    notices,
    calls,
    notify(n: NoticeInput) {
      calls.push(n);
      if (!notices.has(n.dedupeKey)) notices.set(n.dedupeKey, n);
      return Promise.resolve();
    },
  };
}

export const A = { jointure: 'S-A', uai: '0860001A', name: 'Collège Aubépine' } as const;
export const B = { jointure: 'S-B', uai: '0860002B', name: 'Lycée Bruyère' } as const;

/** Two establishments with staff and pupils; resolves to person ids by jointure. */
export async function seedEstablishments(db: Kysely<Database>): Promise<Record<string, number>> {
  await seedStructure(db, A);
  await seedStructure(db, B);
  const ids: Record<string, number> = {};
  const people: [string, 'staff' | 'pupil', string][] = [
    ['T1', 'staff', A.jointure],
    ['T2', 'staff', A.jointure],
    ['T3', 'staff', B.jointure],
    ['P1', 'pupil', A.jointure],
    ['P2', 'pupil', A.jointure],
    ['P3', 'pupil', B.jointure],
  ];
  for (const [jointure, category, structure] of people) {
    ids[jointure] = await seedPerson(db, {
      jointure,
      category,
      givenName: `Given ${jointure}`,
      sn: `Sn ${jointure}`,
      structures: [structure],
    });
  }
  ids.GONE = await seedPerson(db, {
    jointure: 'GONE',
    category: 'staff',
    givenName: 'Gone',
    sn: 'Away',
    structures: [A.jointure],
    state: 'departed',
  });
  return ids;
}
