import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { sweepOrphanUploads } from '../src/index.js';
import { PlanSpool, sweepDeadSpools } from '../src/plan/plan-spool.js';

const HOUR = 3_600_000;

t.test('upload spools: only folders no unfinished import refers to, and old enough', async (t) => {
  const { db } = await testDb(t);
  const uploads = t.testdir({});
  const folder = (name: string, ageMs: number) => {
    const path = join(uploads, name);
    mkdirSync(path);
    writeFileSync(join(path, 'ENT_X_Complet_20240907_Eleve_0000.xml'), '<x/>');
    const when = new Date(Date.now() - ageMs);
    utimesSync(path, when, when);
    return path;
  };
  const run = async (status: 'queued' | 'failed', spoolDir: string) =>
    db
      .insertInto('import_run')
      .values({
        kind: 'delta',
        scope: '-',
        level: null,
        file_date: '2024-09-10',
        source: 'api',
        delivery_name: 'x',
        content_hash: null,
        status,
        options: JSON.stringify({ spoolDir }),
      })
      .execute();
  const queued = folder('2024-09-10-queued', 2 * HOUR);
  await run('queued', queued);
  const finished = folder('2024-09-10-finished', 2 * HOUR);
  await run('failed', finished);
  folder('2024-09-10-orphan', 2 * HOUR);
  folder('2024-09-10-young', 10 * 60_000);

  const removed = await sweepOrphanUploads(db, uploads);
  t.same(removed.sort(), ['2024-09-10-finished', '2024-09-10-orphan']);
  t.same(readdirSync(uploads).sort(), ['2024-09-10-queued', '2024-09-10-young']);

  const later = await sweepOrphanUploads(db, uploads, { now: () => Date.now() + HOUR });
  t.same(later, ['2024-09-10-young'], 'the young one goes once it is old enough');
  t.ok(existsSync(queued), 'a queued run keeps its spool whatever its age');
  t.same(await sweepOrphanUploads(db, join(uploads, 'absent')), [], 'no spool folder yet');
});

t.test('plan spools of a dead process are removed when the next import starts', async (t) => {
  const tmp = t.testdir({ 'unrelated-folder': {} });
  // A process that has exited: its pid is free (or reused later, then kept: never a live one's).
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const deadPid = Number(dead.stdout);
  mkdirSync(join(tmp, `aaf-sync-plan-p${deadPid}-7-abc`));
  mkdirSync(join(tmp, `aaf-sync-plan-p${process.pid}-8-def`));

  const spool = await PlanSpool.create(9, tmp);
  t.teardown(() => spool.dispose());
  const left = readdirSync(tmp).sort();
  t.notOk(left.includes(`aaf-sync-plan-p${deadPid}-7-abc`), "the dead process's spool is gone");
  t.ok(left.includes(`aaf-sync-plan-p${process.pid}-8-def`), 'a live process keeps its spool');
  t.ok(left.includes('unrelated-folder'), 'other folders are not ours');
  t.ok(
    left.some((n) => n.startsWith(`aaf-sync-plan-p${process.pid}-9-`)),
    'the new spool is named after its process and import',
  );
  t.same(await sweepDeadSpools(tmp), [], 'nothing else to remove');
});
