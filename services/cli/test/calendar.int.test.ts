import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

const examplePath = new URL('../../../packages/calendar/examples/2025-2026.json', import.meta.url)
  .pathname;

t.test('calendar set / show / simulate / versions', async (t) => {
  const { db, url } = await testDb(t);
  const dir = await mkdtemp(join(tmpdir(), 'aaf-calendar-'));
  t.teardown(() => rm(dir, { recursive: true }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw document tests edit
  const example = JSON.parse(await readFile(examplePath, 'utf8')) as Record<string, any>;
  const write = async (name: string, doc: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(doc));
    return path;
  };

  const nothing = await cli(['calendar', 'show'], url);
  t.equal(nothing.code, 1);
  t.match(nothing.stderr, /CALENDAR_ERR_NOT_SET/);

  const broken = structuredClone(example);
  broken.feed.targets.byKind.koxo.resumeOn = '2025-08-01';
  broken.rentreeBlocking.rules[0].end = '2025-09-30T08:00';
  const refused = await cli(['calendar', 'set', '--file', await write('broken.json', broken)], url);
  t.equal(refused.code, 2, 'an invalid document is a usage-class error');
  t.match(refused.stderr, /CALENDAR_ERR_INVALID_DOCUMENT/);
  t.match(refused.stderr, /^ {2}feed\.targets\.byKind\.koxo: resumes on 2025-08-01/m);
  t.match(refused.stderr, /^ {2}rentreeBlocking\.rules\.0\.end: must lie within/m);

  const set = await cli(['calendar', 'set', '--file', examplePath], url);
  t.equal(set.code, 0, set.stderr);
  t.match(set.stdout, /^calendar version 1 stored/);
  t.equal(
    (await cli(['calendar', 'set', '--file', examplePath], url)).stdout,
    'calendar unchanged (version 1)\n',
  );
  const edited = structuredClone(example);
  edited.feed.targets.byKind.koxo.resumeOn = '2025-09-01';
  const second = await cli(
    [
      'calendar',
      'set',
      '--file',
      await write('v2.json', edited),
      '--expected-version',
      '1',
      '--comment',
      'KoXo on Monday',
    ],
    url,
  );
  t.equal(second.code, 0, second.stderr);
  t.equal(
    second.stdout,
    'calendar version 2 stored: 1 change(s)\n  feed.targets.byKind.koxo.resumeOn: "2025-08-29" → "2025-09-01"\n',
  );
  const conflict = await cli(
    ['calendar', 'set', '--file', examplePath, '--expected-version', '1'],
    url,
  );
  t.match(conflict.stderr, /CALENDAR_ERR_VERSION_CONFLICT/);

  const show = await cli(
    ['calendar', 'show', '--at', '2025-08-27', '--days', '7', '--no-deliveries'],
    url,
  );
  t.equal(show.code, 0, show.stderr);
  const lines = show.stdout.trim().split('\n');
  t.match(lines[0], /^calendar v2, schoolYear 2025-2026, from 2025-08-26T22:00:00.000Z/);
  t.match(lines[1], /^2025-08-29 00:00 {2}feed\.resume +ad targets +ad targets resume/);
  t.ok(
    lines.some((l) => /^2025-09-01 00:00 {2}feed\.resume +koxo targets/.test(l)),
    'the stored version 2 is the one shown',
  );
  t.ok(lines.some((l) => /^2025-09-02 07:00 {2}blocking\.end +everybody +access reopened/.test(l)));

  await db
    .insertInto('calendar_blocking_override')
    .values({
      uai: '0860001A',
      end_at: new Date('2025-08-28T06:00:00Z'),
      calendar_version: 2,
      changed_by: 'test',
    })
    .execute();
  const own = await cli(
    [
      'calendar',
      'show',
      '--at',
      '2025-08-27',
      '--days',
      '7',
      '--no-deliveries',
      '--uai',
      '0860001A',
    ],
    url,
  );
  t.match(
    own.stdout,
    /^2025-08-28 08:00 {2}blocking\.end +establishment 0860001A +access reopened/m,
  );
  t.notMatch(own.stdout, /blocking\.end +everybody/, 'the académie-wide reopening skips it');
  const other = await cli(
    [
      'calendar',
      'show',
      '--at',
      '2025-08-27',
      '--days',
      '7',
      '--no-deliveries',
      '--uai',
      '0860002B',
    ],
    url,
  );
  t.notMatch(other.stdout, /0860001A/);
  t.match(other.stdout, /blocking\.end +everybody/);
  t.match((await cli(['calendar', 'show', '--uai', 'x'], url)).stderr, /CLI_ERR_USAGE.*--uai/);

  const json = await cli(
    ['calendar', 'show', '--at', '2025-08-27T10:00', '--days', '1', '--json'],
    url,
  );
  const parsed = JSON.parse(json.stdout) as { transitions: { id: string; local: string }[] };
  t.same(
    parsed.transitions.map((x) => `${x.local} ${x.id}`),
    [
      '2025-08-28T07:00 2025-2026/delivery.due/delta/2025-08-27',
      '2025-08-28T08:00 2025-2026/blocking.end/rentree/0860001A',
    ],
    'without --uai: every establishment, overrides included',
  );

  const before = await db.selectFrom('calendar_version').select('version').execute();
  const sim = await cli(
    [
      'calendar',
      'simulate',
      '--from',
      '2025-06-01',
      '--to',
      '2025-11-30',
      '--no-deliveries',
      '--json',
    ],
    url,
  );
  t.equal(sim.code, 0, sim.stderr);
  const year = JSON.parse(sim.stdout) as { simulation: string; transitions: { type: string }[] };
  t.equal(year.simulation, 'stored');
  t.equal(
    year.transitions.length,
    37,
    'June to November: 35 transitions, and the start and end of the override of 0860001A',
  );
  t.same([...new Set(year.transitions.map((x) => x.type))].sort(), [
    'blocking.end',
    'blocking.notices-resume',
    'blocking.start',
    'campaign.preview',
    'campaign.run',
    'feed.initialisation-expected',
    'feed.initialisation-overdue',
    'feed.resume',
    'feed.suspend',
    'groups.delete',
    'groups.summary',
    'groups.warning',
    'retention.credential-exports',
    'retention.import-archives',
  ]);
  t.same(
    await db.selectFrom('calendar_version').select('version').execute(),
    before,
    'a simulation stores nothing',
  );
  const fromFile = await cli(
    [
      'calendar',
      'simulate',
      '--file',
      examplePath,
      '--from',
      '2025-08-28',
      '--to',
      '2025-08-30',
      '--no-deliveries',
    ],
    url,
  );
  t.match(
    fromFile.stdout,
    /2025-08-29 00:00 {2}feed\.resume +koxo targets/,
    'the file, not the stored version',
  );
  t.match(
    (await cli(['calendar', 'simulate', '--from', '2025-06-01'], url)).stderr,
    /CLI_ERR_USAGE/,
  );
  t.match((await cli(['calendar', 'show', '--at', 'soon'], url)).stderr, /CLI_ERR_USAGE.*--at/);
  t.match(
    (await cli(['calendar', 'simulate', '--from', '2025-06-01', '--to', '2027-01-01'], url)).stderr,
    /CALENDAR_ERR_BAD_PERIOD/,
  );

  const versions = await cli(['calendar', 'versions'], url);
  t.match(versions.stdout, /^v2\t\S+\tcli:\S*\t1 change\(s\)\tKoXo on Monday\nv1\t/);
  const audits = await db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'calendar.update')
    .execute();
  t.equal(audits.length, 3, 'each stored or unchanged set is audited');
});
