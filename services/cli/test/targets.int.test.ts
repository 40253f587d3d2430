import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

t.test(
  'targets add / list / show / update / suspend / resume / test / reset / remove',
  async (t) => {
    const { db, url } = await testDb(t);
    const dir = await mkdtemp(join(tmpdir(), 'aaf-targets-'));
    t.teardown(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true })));
    const secrets = join(dir, 'secrets.json');
    await writeFile(secrets, JSON.stringify({ bindPassword: 'Sup3r-secret' }));

    const scribe = [
      'targets',
      'add',
      '--kind',
      'scribe',
      '--name',
      'scribe-a',
      '--uai',
      '0750001A',
      '--options',
      '{"url":"ldap://scribe.example","baseDn":"o=gouv,c=fr","bindDn":"cn=admin,o=gouv,c=fr"}',
      '--secrets-file',
      secrets,
    ];
    const added = await cli(scribe, url);
    t.equal(added.code, 0, added.stderr);
    t.match(added.stdout, /^scribe-a\tscribe\tactive\t0750001A\tcursor 0\t0 behind/);
    t.match((await cli(scribe, url)).stderr, /TARGETS_ERR_NAME_TAKEN/);

    const bad = await cli(
      ['targets', 'add', '--kind', 'scribe', '--name', 'x', '--uai', '0750001A'],
      url,
    );
    t.equal(bad.code, 2, 'invalid definition: usage-class exit code');
    t.match(bad.stderr, /TARGETS_ERR_INVALID.*options/);
    t.match(
      (
        await cli(
          [
            'targets',
            'add',
            '--kind',
            'noop',
            '--name',
            'x',
            '--uai',
            '0750001A',
            '--options',
            '{',
          ],
          url,
        )
      ).stderr,
      /CLI_ERR_USAGE.*JSON/,
    );

    const shown = await cli(['targets', 'show', 'scribe-a', '--json'], url);
    t.equal(shown.code, 0);
    const view = JSON.parse(shown.stdout) as Record<string, unknown>;
    t.match(view, { name: 'scribe-a', hasSecrets: true, consumer: { lagging: false } });
    t.notMatch(shown.stdout, /Sup3r-secret|bindPassword/, 'secrets never shown');

    t.equal(
      (
        await cli(
          ['targets', 'add', '--kind', 'noop', '--name', 'noop-a', '--uai', '0750001A'],
          url,
        )
      ).code,
      0,
    );
    t.match((await cli(['targets', 'test', 'noop-a'], url)).stdout, /^ok: /);
    // The Scribe driver tries its server (which does not exist here) and says why it failed.
    const unreachable = await cli(['targets', 'test', 'scribe-a'], url);
    t.equal(unreachable.code, 1);
    t.match(unreachable.stdout, /^FAILED: LDAP server ldap:\/\/scribe.example is unavailable/);

    t.match((await cli(['targets', 'suspend', 'noop-a'], url)).stdout, /\tsuspended\t/);
    t.match((await cli(['targets', 'resume', 'noop-a'], url)).stdout, /\tactive\t/);
    t.match(
      (await cli(['targets', 'update', 'noop-a', '--uai', '0750001A,0750002B'], url)).stdout,
      /0750001A,0750002B/,
    );
    t.match((await cli(['targets', 'reset', 'noop-a'], url)).stdout, /reset at seq 0: 0 account/);
    const listed = await cli(['targets', 'list'], url);
    t.match(listed.stdout, /^noop-a\tnoop\tactive\t.*\nscribe-a\tscribe\t/);
    t.equal((await cli(['targets', 'remove', 'scribe-a'], url)).code, 0);
    t.match((await cli(['targets', 'show', 'scribe-a'], url)).stderr, /TARGETS_ERR_NOT_FOUND/);
    t.match((await cli(['targets', 'show'], url)).stderr, /needs a target name/);

    const audit = await db.selectFrom('audit_log').select('action').orderBy('id').execute();
    t.same(
      audit.map((a) => a.action),
      [
        'targets.create',
        'targets.create',
        'targets.suspend',
        'targets.resume',
        'targets.update',
        'targets.reset',
        'targets.remove',
      ],
    );
    const details = await db.selectFrom('audit_log').select('details').execute();
    t.notMatch(JSON.stringify(details), /Sup3r-secret/);
  },
);
