import t from 'tap';
import { sql } from '@aaf-sync/db';
import { LdapErrors } from '@aaf-sync/ldap';
import { reconcileBatch } from '@aaf-sync/targets';
import { seedClassGroup, seedMembership } from '@aaf-sync/testing';
import type { PasswordPort } from '../src/index.js';
import { ownSlapd, recordingPasswords, scribeWorld, UAI_A } from './fixtures.js';

t.test(
  'the server stops mid-batch: rows stay pending, then everything is applied once',
  async (t) => {
    const slapd = await ownSlapd(t);
    const passwords = recordingPasswords();
    let stopDuringPasswords = true;
    // The server goes away after the entries were written, before their passwords were set.
    const port: PasswordPort = {
      async passwordsFor(target, accounts) {
        if (stopDuringPasswords) {
          stopDuringPasswords = false;
          await slapd.stop();
        }
        return passwords.port.passwordsFor(target, accounts);
      },
      applied: passwords.port.applied,
    };
    const w = await scribeWorld(t, {
      url: slapd.url,
      baseDn: process.env.LDAP_BASE_DN ?? 'o=gouv,c=fr',
      deps: { passwords: port },
    });
    const sixA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6A' });
    for (let i = 1; i <= 5; i += 1) {
      await w.person({
        jointure: `E${i}`,
        login: `eleve${i}`,
        category: 'pupil',
        givenName: `P${i}`,
        sn: 'Test',
        structures: ['S-A'],
      });
      await seedMembership(w.db, sixA, `E${i}`);
    }
    await sql`insert into provisioning (target_id, person_id, desired_version)
    select ${w.target.id}, id, 1 from person`.execute(w.db);

    await t.rejects(
      reconcileBatch(w.db, w.target, w.driver, { batchSize: 50 }),
      { code: LdapErrors.UNAVAILABLE.code },
      'the batch throws: the target is unavailable',
    );
    const pending = await w.rows();
    t.same(
      [...pending.values()].map((r) => r.status),
      ['pending', 'pending', 'pending', 'pending', 'pending'],
      'nothing recorded as applied',
    );

    // Still down: the next batch throws too, rows untouched.
    await t.rejects(reconcileBatch(w.db, w.target, w.driver, { batchSize: 50 }), {
      code: LdapErrors.UNAVAILABLE.code,
    });

    await slapd.start();
    t.same(await w.sync(), { applied: 5, failed: 0, excluded: 0 }, 'applied once it is back');
    const users = await w.admin.search(`ou=utilisateurs,ou=${UAI_A},${w.base}`, {
      filter: '(uid=eleve*)',
      attributes: ['uid', 'userPassword', 'uidNumber'],
    });
    t.equal(users.length, 5, 'each entry once');
    t.equal(new Set(users.map((u) => u.attributes.uidnumber?.[0])).size, 5, 'distinct numbers');
    t.ok(
      users.every((u) => /^\{SSHA\}/.test(u.attributes.userpassword?.[0] ?? '')),
      'passwords set after the outage',
    );
    t.equal(passwords.set.size, 5);
    const members = (await w.read(w.groupDn(UAI_A, '6a')))?.memberuid ?? [];
    t.same([...members].sort(), ['eleve1', 'eleve2', 'eleve3', 'eleve4', 'eleve5'], 'members once');
  },
);
