import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exportScribeLdif } from '../src/index.js';
import { scribeWorld, seedSchool, UAI_A } from './fixtures.js';

t.test('export-ldif: the LDIF loaded as is is exactly what the driver would write', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  let ldif = '';
  const n = await exportScribeLdif(w.db, w.target, (chunk) => {
    ldif += chunk;
  });
  // 2 schools × 10 OUs, 6 accounts, groups: 6a latin profs-6a profs-latin eleves professeurs
  // administratifs (S-A), 5b profs-5b eleves (S-B).
  t.equal(n, 20 + 6 + 10);
  t.match(ldif, /^dn: uid=lea\.martin,ou=local,ou=eleves,/m);
  t.match(ldif, /^cn:: TMOpYSBNYXJ0aW4=$/m, 'non-ASCII values in base64');

  const dir = mkdtempSync(join(tmpdir(), 'aaf-ldif-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'export.ldif'), ldif);
  const url = String(w.target.options.url);
  execFileSync(
    'ldapadd',
    [
      '-x',
      '-H',
      url,
      '-D',
      String(w.target.options.bindDn),
      '-w',
      String(w.target.secrets.bindPassword),
      '-f',
      join(dir, 'export.ldif'),
    ],
    { stdio: 'ignore' },
  );
  t.match(await w.read(w.groupDn(UAI_A, '6a')), { memberuid: ['lea.martin', 'tom.petit'] });

  // The worker then finds every entry as it wants it: no write at all.
  t.same(await w.sync(), { applied: 6, failed: 0, excluded: 0 });
  t.same(w.stats, {
    adds: 0,
    modifies: 0,
    renames: 0,
    groupWrites: 0,
    passwords: 0,
    deletes: 0,
    groupDeletes: 0,
  });
});
