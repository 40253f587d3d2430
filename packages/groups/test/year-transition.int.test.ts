import { join } from 'node:path';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { runYearTransition, yearTransitionReport, yearTransitionTick } from '../src/index.js';
import { sampleComplete } from './aaf-variant.js';
import { effectContext, EXAMPLE_URL, silentLog } from './fixtures.js';
import { readFileSync } from 'node:fs';

const UAI = '0990001N';
const STRUCTURE = '910001';

// In the sample, pupil 9300101 sits in class 5A and group 5LAT, pupil 9300102 in class 5B;
// teacher 9320301 teaches 5A and 5B.
const MOVED_UP: [string, string][] = [
  ['"ENTEleveClasses"><value>910001$5A</value>', '"ENTEleveClasses"><value>910001$4A</value>'],
  ['"ENTEleveGroupes"><value>910001$5LAT</value>', '"ENTEleveGroupes"><value/>'],
];

t.test(
  'year transition after the initialisation complete: stale classes closed, leftovers reported',
  async (t) => {
    const { db } = await testDb(t);
    const deps: IngestDeps = { db, log: silentLog, settings: DEFAULT_INGEST_SETTINGS };
    const ingest = async (dir: string) => {
      const out = await ingestPaths(deps, [dir], { source: 'test' });
      t.equal(out.imports[0]!.status, 'applied', `${dir} applied`);
      return out.imports[0]!;
    };
    await saveCalendar(db, {
      document: JSON.parse(readFileSync(EXAMPLE_URL, 'utf8')) as unknown,
      actor: 'test',
    });
    const now = new Date('2025-08-25T06:00:00Z');
    const classes = async () =>
      (
        await db
          .selectFrom('class_group')
          .select(['kind', 'code', 'state', 'version', 'closed_at', 'closed_school_year'])
          .where('structure_jointure', '=', STRUCTURE)
          .orderBy('kind')
          .orderBy('code')
          .execute()
      ).map((c) => ({ ...c, closed_at: c.closed_at ? new Date(c.closed_at).toISOString() : null }));
    const calendarEvents = () =>
      db
        .selectFrom('change_event')
        .select(['entity_type', 'entity_key', 'op', 'version', 'uais', 'changes'])
        .where('actor', '=', 'calendar')
        .orderBy('seq')
        .execute();

    // Year N: the June complete (before the initialisation complete is expected).
    await ingest(sampleComplete(join(t.testdirName, 'june'), '20250607'));
    t.same(
      (await runYearTransition(db, { now })).ran,
      [],
      'a complete dated before the initialisation window is not the initialisation complete',
    );

    // Year N+1: the initialisation complete. 9300101 moved up to 4A (and left 5LAT); 9300102
    // was not moved out of 5B in SIECLE; the teacher still names 5A and 5B.
    const init = await ingest(sampleComplete(join(t.testdirName, 'init'), '20250823', MOVED_UP));
    const afterApply = await classes();
    t.match(
      afterApply.map((c) => [c.kind, c.code, c.state]),
      [
        ['class', '4A', 'active'],
        ['class', '5A', 'empty'],
        ['class', '5B', 'active'],
        ['group', '5LAT', 'empty'],
      ],
      'the apply emptied what pupils left',
    );
    const links = await db
      .selectFrom('teaching_link')
      .select(['code'])
      .where('person_jointure', '=', '9320301')
      .where('kind', '=', 'class')
      .orderBy('code')
      .execute();
    t.same(
      links.map((l) => l.code),
      ['5A', '5B'],
      "the teacher's stale link to 5A is still there",
    );

    // The scheduler's tick: the transition, and a notice to the establishment's admins.
    const ctx = effectContext(db, now);
    const tick = await yearTransitionTick(ctx);
    t.same(tick.counts, { establishments: 1, closed: 2, leftovers: 1 });
    t.same([...ctx.notices.keys()], [`2025-2026/year-transition/${UAI}`]);
    const notice = ctx.notices.get(`2025-2026/year-transition/${UAI}`)!;
    t.match(notice, { kind: 'year-transition.report', uais: [UAI] });
    t.notOk(notice.managers, "to the establishment's admins");
    t.match(notice.body, /5B \(.*\): 1 of 1 pupils/);
    const report = (await yearTransitionReport(db, UAI))!;
    t.equal(report.schoolYear, '2025-2026');
    t.match(report, {
      uai: UAI,
      schoolYear: '2025-2026',
      endingSchoolYear: '2024-2025',
      importId: init.importId,
      ranAt: now.toISOString(),
      leftoverShare: 0.8,
      staleTeachingLinksExpectedUntil: '2025-10-31',
    });
    t.same(
      report.closed.map((c) => [c.kind, c.code, c.teachers]),
      [
        ['class', '5A', 1],
        ['group', '5LAT', 0],
      ],
      '5A closed although a teacher still links to it',
    );
    t.same(report.leftovers, [
      { code: '5B', label: report.leftovers[0]?.label, pupils: 1, stayed: 1, share: 1 },
    ]);
    t.notOk(
      report.leftovers.some((l) => l.code === '4A'),
      'a class its pupils just joined is no leftover',
    );
    t.same(report.teacherOnly, [{ kind: 'class', code: '5A', teachers: 1 }]);

    const closed = await classes();
    t.match(
      closed.map((c) => [c.code, c.state, c.closed_at, c.closed_school_year]),
      [
        ['4A', 'active', null, null],
        ['5A', 'empty', now.toISOString(), '2024-2025'],
        ['5B', 'active', null, null],
        ['5LAT', 'empty', now.toISOString(), '2024-2025'],
      ],
    );
    const events = await calendarEvents();
    t.match(
      events.map((e) => [e.entity_type, e.entity_key, e.op, e.uais]),
      [
        ['class', `${STRUCTURE}$5A`, 'updated', [UAI]],
        ['group', `${STRUCTURE}$5LAT`, 'updated', [UAI]],
      ],
    );
    t.match(events[0]!.changes, {
      fields: { closedSchoolYear: [null, '2024-2025'] },
      reason: 'year-transition',
    });
    t.same(await yearTransitionReport(db, UAI, '2025-2026'), report);
    t.equal(await yearTransitionReport(db, UAI, '2024-2025'), null);

    t.test('twice: nothing more', async (t) => {
      t.same((await runYearTransition(db, { now: new Date('2025-08-26T06:00:00Z') })).ran, []);
      ctx.clock.set(new Date('2025-08-26T06:01:00Z'));
      t.match((await yearTransitionTick(ctx)).counts, { establishments: 0 });
      t.equal(ctx.calls.length, 1, 'no second notice');
      t.same(await classes(), closed, 'classes unchanged');
      t.same(await calendarEvents(), events, 'no new event');
      t.same(await yearTransitionReport(db, UAI), report, 'report unchanged');
    });

    t.test('a later complete: the teacher link alone never reopens; a pupil does', async (t) => {
      await ingest(sampleComplete(join(t.testdirName, 'sept1'), '20250906', MOVED_UP));
      t.same(await classes(), closed, 'teachers still naming 5A keep it closed');
      await ingest(sampleComplete(join(t.testdirName, 'sept2'), '20250913'));
      const reopened = (await classes()).find((c) => c.code === '5A')!;
      t.match(reopened, { state: 'active', closed_at: null, closed_school_year: null });
    });
  },
);
