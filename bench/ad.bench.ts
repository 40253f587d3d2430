// pnpm bench:ad [--accounts 5000] [--schools 5] [--batch 200] [--keep]
//
// The Active Directory driver (packages/ad) against the Samba AD DC of scripts/services (AD_URL,
// LDAPS), in one process and its own database:
//   provision   `accounts` pupils (classes of 25 over `schools` establishments) applied through
//               the worker's reconcile batches (reconcileBatch + the ad driver with the shipped
//               credentials port): each account is an add, its initial password (`unicodePwd`),
//               its enabling and its class group membership
//   ldapadd     the same entries (users with `unicodePwd` and `userAccountControl: 512` in the
//               add, OUs, class groups with their members) loaded with `ldapadd` over LDAPS
//               under another OU, other logins (sAMAccountName is unique in the domain):
//               accounts/s, and the worker's ratio to it
//   reconcile   a full reconcile with nothing changed: writes (target 0) and duration
// and prints one JSON document with the load average. The OUs are removed unless --keep.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adDriver, newAdStats } from '@aaf-sync/ad';
import { loadConfig } from '@aaf-sync/config';
import { driverPasswords, generatePassword } from '@aaf-sync/credentials';
import { createDb, sql } from '@aaf-sync/db';
import { connectLdapts, ldifEntry, parseConnectionOptions, unicodePwd } from '@aaf-sync/ldap';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  reconcileDue,
  reconcileTarget,
} from '@aaf-sync/targets';
import { benchDatabase, ldapDeleteSubtrees, round, seconds, seedClassPupils } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '5000' },
    schools: { type: 'string', default: '5' },
    batch: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const accounts = Number(values.accounts);
  const schools = Number(values.schools);
  const batchSize = Number(values.batch);
  const ad = loadConfig().ad;
  if (!ad.bindPassword) throw new Error('AD_BIND_PASSWORD is not set (scripts/services up)');
  const database = await benchDatabase('ad', { keep: false });
  const handle = createDb({ url: database.url, poolMax: 6, applicationName: 'aaf-sync-bench' });
  const session = await connectLdapts(
    parseConnectionOptions({
      url: ad.url,
      bindDn: ad.bindDn,
      bindPassword: ad.bindPassword,
      tls: { rejectUnauthorized: false },
    }),
  );
  // Logins are unique in the whole domain: a tag per run, `w` (worker) / `l` (ldapadd).
  const tag = randomBytes(3).toString('hex').slice(0, 4);
  const ous = ['worker', 'ldapadd'].map((l) => `OU=bench-${l}-${tag},${ad.baseDn}`);
  const dir = mkdtempSync(join(tmpdir(), 'aaf-bench-ad-'));
  const env = { ...process.env, LDAPTLS_REQCERT: 'never' };
  try {
    const { db } = handle;
    const uais = await seedClassPupils(db, {
      schools,
      accounts,
      schoolName: 'Lycée',
      uaiLetter: 'C',
      namespace: 'koxo',
      loginPrefix: `w${tag}`,
      loginBase: 'w',
    });
    for (const ou of ous) {
      await session.add(ou, {
        objectClass: ['top', 'organizationalUnit'],
        ou: [ou.slice(3, ou.indexOf(','))],
      });
    }
    const box = createSecretBox(randomBytes(32).toString('base64'));
    await createTarget(
      db,
      box,
      {
        kind: 'ad',
        name: 'bench-ad',
        uais,
        options: {
          url: ad.url,
          baseDn: ous[0],
          bindDn: ad.bindDn,
          tlsInsecure: true,
          poolSize: 4,
          profile: { groupSam: `{uai}-{cn}-${tag}` },
        },
        secrets: { bindPassword: ad.bindPassword },
      },
      'bench',
    );
    const stats = newAdStats();
    const { target, driver } = driverFor(
      { ad: adDriver({ stats, passwords: (context) => driverPasswords(context) }) },
      box,
      await findTarget(db, 'bench-ad'),
      { db },
    );
    // createTarget marked every account of its establishments pending (a full reconcile).

    // 1. Through the worker.
    const load = { before: loadavg().map((l) => round(l)) };
    let started = process.hrtime.bigint();
    const { applied, failed } = await reconcileDue(db, target, driver, { batchSize });
    const workerSeconds = seconds(started);

    // 2. ldapadd of the same entries under the second OU (desired entries of the same accounts).
    const { driver: shape } = driverFor(
      { ad: adDriver() },
      box,
      {
        ...(await findTarget(db, 'bench-ad')),
        options: { ...target.options, baseDn: ous[1] },
      },
      { db },
    );
    const { rows: people } = await sql<{ id: number; jointure: string; code: string; uai: string }>`
      select p.id, p.jointure, c.code, s.uai from person p
      join membership m on m.person_jointure = p.jointure
      join class_group c on c.id = m.class_group_id
      join structure s on s.jointure = p.primary_structure order by p.id`.execute(db);
    let ldif = '';
    const made = new Set<string>();
    const members = new Map<string, { uai: string; dns: string[] }>();
    const entry = (dn: string, attrs: Record<string, readonly string[]>) => {
      ldif += ldifEntry(dn, attrs);
    };
    for (const p of people) {
      const n = p.jointure.slice(1);
      const login = `l${tag}${n}`;
      const desired = shape.desired({
        id: Number(p.id),
        jointure: p.jointure,
        state: 'active',
        category: 'pupil',
        profile: 'pupil',
        givenName: `Prénom${n}`,
        sn: `Nom${n}`,
        mail: null,
        version: 1,
        uais: [p.uai],
        logins: { koxo: login },
        birthDate: null,
        civility: null,
        ine: null,
        memberships: [{ uai: p.uai, kind: 'class', code: p.code }],
        teaching: [],
        children: [],
        access: { blocked: false, until: null, why: null },
        mef: null,
        schoolId: null,
        subjects: [],
        headOf: [],
      })!;
      const est = `OU=${p.uai},${ous[1]}`;
      if (!made.has(est)) {
        made.add(est);
        entry(est, { objectClass: ['top', 'organizationalUnit'], ou: [p.uai] });
        entry(`OU=Eleves,${est}`, { objectClass: ['top', 'organizationalUnit'], ou: ['Eleves'] });
        entry(`OU=Groupes,${est}`, { objectClass: ['top', 'organizationalUnit'], ou: ['Groupes'] });
      }
      const attrs: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(desired.attributes)) {
        if (!k.startsWith('@')) attrs[k] = typeof v === 'string' ? [v] : [...v];
      }
      attrs.userAccountControl = ['512'];
      // The password in the add itself (AD takes it over LDAPS), then the next entry.
      ldif += ldifEntry(desired.key, attrs).replace(/\n\n$/, '\n');
      ldif += `unicodePwd:: ${unicodePwd(generatePassword()).toString('base64')}\n\n`;
      for (const g of desired.attributes['@groups'] as readonly string[]) {
        const m = members.get(g) ?? { uai: p.uai, dns: [] };
        m.dns.push(desired.key);
        members.set(g, m);
      }
    }
    for (const [g, m] of members) {
      const cn = g.slice(3, g.indexOf(','));
      entry(g, {
        objectClass: ['top', 'group'],
        sAMAccountName: [`${m.uai.toLowerCase()}-${cn}-l${tag}`],
        groupType: ['-2147483646'],
        member: m.dns,
      });
    }
    const file = join(dir, 'bench.ldif');
    writeFileSync(file, ldif);
    ldif = '';
    started = process.hrtime.bigint();
    execFileSync(
      'ldapadd',
      ['-x', '-H', ad.url, '-D', ad.bindDn, '-w', ad.bindPassword, '-f', file],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env,
      },
    );
    const ldapaddSeconds = seconds(started);
    const loadAfter = loadavg().map((l) => round(l));

    // 3. A full reconcile with nothing changed.
    const before = { ...stats };
    started = process.hrtime.bigint();
    const report = await reconcileTarget(db, target, driver);
    const reconcileSeconds = seconds(started);
    const writes = (s: typeof stats) =>
      s.adds + s.modifies + s.renames + s.groupWrites + s.passwords + s.enables + s.disables;
    await driver.close?.();

    process.stdout.write(
      `${JSON.stringify(
        {
          accounts,
          schools,
          worker: {
            seconds: round(workerSeconds),
            accountsApplied: applied,
            failed,
            accountsPerSecond: round(applied / workerSeconds),
            adds: stats.adds,
            passwords: stats.passwords,
            enables: stats.enables,
            groupWrites: stats.groupWrites,
          },
          ldapadd: {
            accounts: people.length,
            groups: members.size,
            seconds: round(ldapaddSeconds),
            accountsPerSecond: round(people.length / ldapaddSeconds),
          },
          ratio: round(applied / workerSeconds / (people.length / ldapaddSeconds), 3),
          reconcile: {
            seconds: round(reconcileSeconds),
            inSync: report.totals.inSync,
            marked: report.marked,
            writes: writes(stats) - writes(before),
          },
          loadAverage: { before: load.before, after: loadAfter },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (!values.keep) {
      ldapDeleteSubtrees({ ...ad, bindPassword: ad.bindPassword }, ous, env);
    }
    await session.close();
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
