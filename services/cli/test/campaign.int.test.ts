import { readFile } from 'node:fs/promises';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { sql } from '@aaf-sync/db';
import { createSecretBox, createTarget } from '@aaf-sync/targets';
import { seedPerson, seedStructure, testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

const examplePath = new URL('../../../packages/calendar/examples/2025-2026.json', import.meta.url)
  .pathname;
const UAI = '0750001A';

t.test('campaign preview / list / approve / run', async (t) => {
  const { db, url } = await testDb(t);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw document tests edit
  const doc = JSON.parse(await readFile(examplePath, 'utf8')) as Record<string, any>;
  doc.campaigns.push({
    id: 'noop-departed-staff',
    kind: 'departed-staff',
    targetKind: 'noop',
    previewOn: '2025-10-01',
    runOn: '2025-11-03T20:00',
    approval: 'establishment',
  });
  await saveCalendar(db, { document: doc, actor: 'test' });
  await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Collège A' });
  const box = createSecretBox(Buffer.alloc(32, 3).toString('base64'));
  const target = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: [UAI], options: {} },
    'test',
  );
  const id = await seedPerson(db, {
    jointure: 'T-OLD',
    category: 'staff',
    profile: 'teacher',
    givenName: 'Jean',
    sn: 'Parti',
    structures: ['S-A'],
    state: 'departed',
  });
  await sql`insert into provisioning (target_id, person_id, desired_version, status, target_key)
    values (${target.id}, ${id}, 1, 'excluded', 'jparti')`.execute(db);

  const preview = await cli(['campaign', 'preview', 'noop-departed-staff'], url);
  t.equal(preview.code, 0, preview.stderr);
  t.match(preview.stdout, /#\d+ 2025-2026 noop-departed-staff \(departed-staff, noop/);
  t.match(preview.stdout, new RegExp(`${UAI} noop-a Parti Jean \\(staff, T-OLD\\) jparti planned`));
  const campaignId = /#(\d+)/.exec(preview.stdout)![1]!;

  const list = await cli(['campaign', 'list', '--json'], url);
  t.match(JSON.parse(list.stdout), [{ name: 'noop-departed-staff', counts: { planned: 1 } }]);

  const early = await cli(['campaign', 'run', campaignId], url);
  t.match(early.stdout, /0 deleted, 0 skipped, 1 waiting/, 'nothing without the approval');

  const approved = await cli(['campaign', 'approve', campaignId, '--uai', UAI], url);
  t.equal(approved.code, 0, approved.stderr);
  t.match(approved.stdout, /approved for 0750001A by cli:.*; ran: 1 deleted/);
  const again = await cli(['campaign', 'run', campaignId], url);
  t.match(again.stdout, /0 deleted, 0 skipped, 0 waiting \(done\)/);
  const purge = await sql<{ purge: boolean }>`select purge from provisioning`.execute(db);
  t.same(purge.rows, [{ purge: true }]);
  const audit = await sql<{ action: string }>`select action from audit_log
    where action like 'campaigns.%' order by id`.execute(db);
  t.same(
    audit.rows.map((r) => r.action),
    ['campaigns.run', 'campaigns.approve', 'campaigns.run'],
  );
  const usage = await cli(['campaign', 'approve', campaignId], url);
  t.equal(usage.code, 2);
});
