import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { until } from '@aaf-sync/testing';
import { generateSecret, sign } from '@aaf-sync/webhooks';
import t from 'tap';
import { A, seedSchool } from '../../fixtures/school.js';
import { build } from '../../helper.js';

const root = resolve(import.meta.dirname, '../../../../..');

t.test('the receiver example verifies, pulls the snapshot and reports back', async (t) => {
  const ctx = await build(t);
  await seedSchool(ctx.db);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const apiPort = (ctx.app.server.address() as AddressInfo).port;
  const secret = generateSecret();
  const agent = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages/webhooks/examples/receiver.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        WEBHOOK_SECRET: secret,
        API_URL: `http://127.0.0.1:${apiPort}`,
        API_KEY: await ctx.key(['accounts:read'], [A.uai]),
        RECEIVER_PORT: '0',
        PROFILES: 'pupil',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.teardown(() => {
    agent.kill();
  });
  let out = '';
  agent.stdout.on('data', (c: Buffer) => (out += c.toString()));
  // RECEIVER_PORT=0: the system picks a port; the agent prints where it listens.
  while (!/listening on http:\/\/127\.0\.0\.1:(\d+)/.test(out)) await once(agent.stdout, 'data');
  const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
  const url = `http://127.0.0.1:${port}/webhooks`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  const body = JSON.stringify({
    type: 'snapshot.published',
    timestamp: new Date().toISOString(),
    data: {
      seq: 1,
      entity: 'snapshot',
      id: A.uai,
      version: null,
      establishments: [A.uai],
      changed: [],
    },
  });
  const forged = await post(body, {
    ...sign([generateSecret()], 'msg_1', Math.floor(Date.now() / 1000), body),
  });
  t.equal(forged.status, 401, 'a wrong signature is refused');
  const ok = await post(body, { ...sign([secret], 'msg_1', Math.floor(Date.now() / 1000), body) });
  t.equal(ok.status, 204);
  const reports = await until('the read-back reported', async () => {
    const rows = await ctx.db.selectFrom('snapshot_report').selectAll().execute();
    return rows.length > 0 && rows;
  });
  t.ok(reports.length >= 2, `reported ${reports.length} accounts`);
  t.match(
    reports.find((r) => r.person_jointure === 'A-P1'),
    { login: 'amartin', status: 'present' },
  );
  t.match(out, /snapshot 0990001N\/pupil: \d+ accounts at seq \d+ \(hash ok\)/);
  t.notOk(
    reports.some((r) => r.person_jointure.startsWith('B-')),
    'only its establishment',
  );
});
