import { sshaHash } from '@aaf-sync/ldap';
import { sql } from '@aaf-sync/db';
import { createSecretBox } from '@aaf-sync/targets';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  createPasswordPort,
  issueCredential,
  lastYearEnd,
  purgeCredentials,
  renderCredentialsCsv,
  renderCredentialsHtml,
  retrieveCredentials,
  type CredentialSheet,
} from '../src/index.js';
import { box, held, scribeTarget, seedSchool, UAI_A, UAI_B } from './fixtures.js';

const CLI = { actor: 'cli:alice' };

async function rawRows(db: Awaited<ReturnType<typeof testDb>>['db']) {
  return db.selectFrom('credential').selectAll().orderBy('person_id').execute();
}

t.test('the database never holds a clear password', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const target = await scribeTarget(db, 'scribe-a', [UAI_A]);
  const port = createPasswordPort(db, box, target);
  const passwords = await port.forCreation([
    { personId: ids.P1!, login: 'p1' },
    { personId: ids.P2!, login: 'p2' },
  ]);
  t.equal(passwords.size, 2);
  const dump = await sql<{ row: string }>`select credential::text as row from credential`.execute(
    db,
  );
  const text = dump.rows.map((r) => r.row).join('\n');
  for (const p of passwords.values()) {
    t.notOk(text.includes(p), 'not in the row as text');
    t.notOk(text.includes(Buffer.from(p).toString('hex')), 'not in the bytea either');
  }
  const rows = await rawRows(db);
  t.same(
    rows.map((r) => [r.login, r.reason, r.state, r.key_id, r.created_by]),
    [
      ['p1', 'initial', 'pending', box.keyId, 'targets:scribe-a'],
      ['p2', 'initial', 'pending', box.keyId, 'targets:scribe-a'],
    ],
  );
  t.ok(
    rows.every((r) => r.ciphertext && r.ciphertext.length > 28),
    'sealed copies',
  );

  // A creation that failed after the password was issued gets the same password next time.
  const again = await port.forCreation([{ personId: ids.P1!, login: 'p1' }]);
  t.equal(again.get(ids.P1!), passwords.get(ids.P1!));
  t.same(
    [...(await port.pending([ids.P1!, ids.P3!])).entries()].map(([id, p]) => [id, p.password]),
    [[ids.P1!, passwords.get(ids.P1!)]],
    'pending passwords for the driver, opened',
  );

  // A sealed copy opens only in its own row, and only with a configured key.
  const other = createSecretBox(Buffer.alloc(32, 3).toString('base64'));
  await t.rejects(createPasswordPort(db, other, target).pending([ids.P1!]), {
    code: 'CREDENTIALS_ERR_UNREADABLE',
  });
  const p1 = rows[0]!;
  await db
    .updateTable('credential')
    .set({ ciphertext: p1.ciphertext })
    .where('person_id', '=', ids.P2!)
    .execute();
  await t.rejects(port.pending([ids.P2!]), { code: 'CREDENTIALS_ERR_UNREADABLE' });

  // The drivers' path never blocks on such a row: a creation gets a new password instead.
  const fresh = await port.forCreation([{ personId: ids.P2!, login: 'p2' }]);
  t.not(fresh.get(ids.P2!), passwords.get(ids.P2!));
  t.equal((await port.pending([ids.P2!])).get(ids.P2!)?.password, fresh.get(ids.P2!));
});

t.test('a sheet lists only passwords set on the target, is audited, then purged', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const target = await scribeTarget(db, 'scribe-a', [UAI_A]);
  const port = createPasswordPort(db, box, target);
  await t.rejects(
    retrieveCredentials(db, box, { target, uai: UAI_A, purge: true, audit: CLI }),
    { code: 'CREDENTIALS_ERR_NONE', status: 404 },
    'nothing issued yet',
  );
  const issued = await port.forCreation(
    ['P1', 'P2', 'P3', 'T1'].map((j) => ({ personId: ids[j]!, login: j.toLowerCase() })),
  );
  await t.rejects(
    retrieveCredentials(db, box, { target, uai: UAI_A, purge: true, audit: CLI }),
    { code: 'CREDENTIALS_ERR_NOT_SET_YET', status: 409 },
    'issued but not on the target yet',
  );
  t.equal(await port.markSet([ids.P1!, ids.P2!, ids.P3!]), 3);

  const sheet = await retrieveCredentials(db, box, {
    target,
    uai: UAI_A,
    classCode: '3A',
    purge: true,
    format: 'csv',
    audit: { actor: 'key:k1', keyId: 'k1', requestId: 'req-1', method: 'GET', path: '/x' },
  });
  t.match(sheet, { target: 'scribe-a', uai: UAI_A, establishment: 'Collège A', count: 2 });
  t.same(
    sheet.classes.map((c) => [c.code, c.entries.map((e) => [e.sn, e.login, e.password])]),
    [
      [
        '3A',
        [
          ['Durand', 'p2', issued.get(ids.P2!)],
          ['Martin', 'p1', issued.get(ids.P1!)],
        ],
      ],
    ],
  );
  const csv = renderCredentialsCsv(sheet);
  t.equal(
    csv,
    'uai,classe,nom,prenom,login,mot_de_passe,motif\r\n' +
      `${UAI_A},3A,Durand,Hugo,p2,${issued.get(ids.P2!)},initial\r\n` +
      `${UAI_A},3A,Martin,Léa,p1,${issued.get(ids.P1!)},initial\r\n`,
  );

  const rows = await rawRows(db);
  const byPerson = new Map(rows.map((r) => [Number(r.person_id), r]));
  for (const j of ['P1', 'P2']) {
    t.match(byPerson.get(ids[j]!), {
      state: 'purged',
      key_id: null,
      ciphertext: null,
      retrieved_by: 'key:k1',
    });
  }
  t.match(byPerson.get(ids.P3!), { state: 'set' }, 'another class untouched');
  t.match(byPerson.get(ids.T1!), { state: 'pending' });
  const audit = await db.selectFrom('audit_log').selectAll().execute();
  t.equal(audit.length, 1);
  t.match(audit[0], {
    actor: 'key:k1',
    key_id: 'k1',
    request_id: 'req-1',
    action: 'credentials.retrieve',
    status: 200,
    uais: [UAI_A],
    details: { target: 'scribe-a', uai: UAI_A, class: '3A', count: 2, purged: true },
  });

  const second = retrieveCredentials(db, box, {
    target,
    uai: UAI_A,
    classCode: '3A',
    purge: true,
    audit: CLI,
  });
  await t.rejects(second, { code: 'CREDENTIALS_ERR_ALREADY_RETRIEVED', status: 410 });
  await second.catch((err: Error) => t.match(err.message, /by key:k1/));

  // The whole establishment now: 3B only (T1 still pending, counted but not listed).
  const rest = await retrieveCredentials(db, box, {
    target,
    uai: UAI_A,
    purge: true,
    audit: CLI,
  });
  t.same(
    rest.classes.map((c) => [c.code, c.entries.map((e) => e.login)]),
    [['3B', ['p3']]],
  );
  t.equal(rest.pending, 1);
  t.equal((await db.selectFrom('audit_log').selectAll().execute()).length, 2);
});

t.test('with purge on retrieval off, a sheet can be retrieved again', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const target = await scribeTarget(db, 'scribe-a', [UAI_A, UAI_B]);
  const port = createPasswordPort(db, box, target);
  const issued = await port.forCreation([
    { personId: ids.Q1!, login: 'q1' },
    { personId: ids.P1!, login: 'p1' },
  ]);
  await port.markSet([ids.Q1!, ids.P1!]);
  const first = await retrieveCredentials(db, box, {
    target,
    uai: UAI_B,
    purge: false,
    audit: CLI,
  });
  t.same(
    first.classes.flatMap((c) => c.entries.map((e) => [c.code, e.login, e.password])),
    [['4C', 'q1', issued.get(ids.Q1!)]],
    'only the establishment asked',
  );
  const again = await retrieveCredentials(db, box, {
    target,
    uai: UAI_B,
    purge: false,
    audit: CLI,
  });
  t.equal(again.classes[0]!.entries[0]!.password, issued.get(ids.Q1!));
  const row = await db
    .selectFrom('credential')
    .selectAll()
    .where('person_id', '=', ids.Q1!)
    .executeTakeFirstOrThrow();
  t.match(row, { state: 'retrieved', retrieved_by: 'cli:alice' });
  t.ok(row.ciphertext);
});

t.test('the printable sheet: one page per class, one block per account', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const target = await scribeTarget(db, 'scribe-a', [UAI_A]);
  const port = createPasswordPort(db, box, target);
  const people = ['P1', 'P2', 'P3', 'T1'];
  const issued = await port.forCreation(
    people.map((j) => ({ personId: ids[j]!, login: j.toLowerCase() })),
  );
  await port.markSet(people.map((j) => ids[j]!));
  const sheet: CredentialSheet = await retrieveCredentials(db, box, {
    target,
    uai: UAI_A,
    purge: true,
    audit: CLI,
  });
  const html = renderCredentialsHtml(sheet);
  t.match(html, /^<!doctype html>/);
  t.equal(html.match(/<section class="classe">/g)?.length, 3, '3A, 3B, then no class');
  t.equal(html.match(/<div class="fiche">/g)?.length, 4);
  t.match(html, /section\.classe \{ break-after: page; page-break-after: always; \}/);
  t.match(html, /Collège A \(0750001A\) — classe 3A[\s\S]*classe 3B[\s\S]*sans classe/);
  for (const j of people) {
    const shown = issued.get(ids[j]!)!.replace(/&/g, '&amp;');
    t.ok(html.includes(`<span class="secret">${shown}</span>`), `${j}'s password is there`);
  }
  t.ok(html.includes('Petit &lt;b&gt; Zoé'), 'names are escaped');
  t.notOk(html.includes('<b>'));
  t.match(html, /Recopiez-les exactement/);
});

t.test('a reset issues a new password and sets the provisioning row pending', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const { resetPassword } = await import('../src/index.js');
  const noop = await scribeTarget(db, 'noop-a', [UAI_A], 'noop');
  await held(db, noop.id, ids.P1!);
  await t.rejects(
    resetPassword(db, box, { personId: ids.P1!, account: 'p1', audit: CLI }),
    { code: 'CREDENTIALS_ERR_NO_PASSWORD_TARGET', status: 409 },
    'a noop target takes no password',
  );
  const scribe = await scribeTarget(db, 'scribe-a', [UAI_A]);
  await held(db, scribe.id, ids.P1!);
  const port = createPasswordPort(db, box, scribe);
  const [first] = (await port.forCreation([{ personId: ids.P1!, login: 'p1' }])).values();
  await port.markSet([ids.P1!]);

  const out = await resetPassword(db, box, {
    personId: ids.P1!,
    account: 'p1',
    audit: { actor: 'key:k2', keyId: 'k2' },
  });
  t.same(out, [{ target: 'scribe-a', kind: 'scribe', login: 'p1', uai: UAI_A, classCode: '3A' }]);
  const pending = await port.pending([ids.P1!]);
  const next = pending.get(ids.P1!);
  t.match(next, { login: 'p1', reason: 'reset' });
  t.not(next!.password, first, 'a new password');
  const rows = await db
    .selectFrom('provisioning')
    .select(['target_id', 'status', 'desired_version'])
    .where('person_id', '=', ids.P1!)
    .orderBy('target_id')
    .execute();
  t.same(
    rows.map((r) => [Number(r.target_id), r.status, r.desired_version]),
    [
      [noop.id, 'applied', 1],
      [scribe.id, 'pending', 2],
    ],
    'only the password-capable target is set pending',
  );
  t.equal(
    (await port.forCreation([{ personId: ids.P1!, login: 'p1' }])).get(ids.P1!),
    next!.password,
    'a creation still pending takes the reset password',
  );
  const audit = await db.selectFrom('audit_log').selectAll().execute();
  t.match(audit, [
    {
      action: 'accounts.password-reset',
      actor: 'key:k2',
      status: 202,
      uais: [UAI_A],
      details: { targets: ['scribe-a'] },
    },
  ]);
});

t.test('year-end purge erases every clear copy issued before the date', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await seedSchool(db);
  const target = await scribeTarget(db, 'scribe-a', [UAI_A]);
  await issueCredential(db, box, {
    targetId: target.id,
    personId: ids.P1!,
    login: 'p1',
    reason: 'initial',
    actor: 'test',
  });
  await issueCredential(db, box, {
    targetId: target.id,
    personId: ids.P2!,
    login: 'p2',
    reason: 'initial',
    actor: 'test',
  });
  await db
    .updateTable('credential')
    .set({ created_at: new Date('2026-06-30T10:00:00Z') })
    .where('person_id', '=', ids.P1!)
    .execute();
  const before = lastYearEnd(new Date('2026-12-05T12:00:00Z'), '07-15');
  t.same(before, new Date('2026-07-15T00:00:00Z'));
  t.same(lastYearEnd(new Date('2026-03-01T00:00:00Z'), '07-15'), new Date('2025-07-15T00:00:00Z'));
  t.throws(() => lastYearEnd(new Date(), '7-15'), { code: 'CREDENTIALS_ERR_INVALID' });
  t.equal(await purgeCredentials(db, { before, actor: 'cli:ops' }), 1);
  const rows = await rawRows(db);
  t.match(rows, [
    { login: 'p1', state: 'purged', ciphertext: null, key_id: null },
    { login: 'p2', state: 'pending' },
  ]);
  t.ok(rows[0]!.purged_at);
  t.equal(await purgeCredentials(db, { before, actor: 'cli:ops' }), 0, 'nothing twice');
  const audit = await db.selectFrom('audit_log').select(['action', 'details']).execute();
  t.match(audit, [
    { action: 'credentials.purge', details: { purged: 1 } },
    { action: 'credentials.purge', details: { purged: 0 } },
  ]);
  t.match(sshaHash('x'), /^\{SSHA\}/);
});
