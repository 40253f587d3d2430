import { join } from 'node:path';
import t from 'tap';
import { sql } from '@aaf-sync/db';
import { harness, variant, type Harness } from './helpers.js';

/** The sample complete again at `date`, with text replacements. */
const complete = (dir: string, date: string, replace: [RegExp | string, string][] = []) =>
  variant(join(dir, date), { from: '2d', pick: 'Complet', date, replace });

async function rawHashes(h: Harness): Promise<Map<string, string | null>> {
  const rows = await h.db.selectFrom('person').select(['jointure', 'raw_hash']).execute();
  return new Map(rows.map((r) => [r.jointure, r.raw_hash]));
}

/** The staff member 9320303's request, to leave it out of a complete. */
const WITHOUT_9320303: [RegExp, string] = [
  /<addRequest>(?:(?!<\/addRequest>)[\s\S])*<id>9320303<\/id>[\s\S]*?<\/addRequest>\n/,
  '',
];

t.test(
  'unchanged requests are skipped before parsing, by the fingerprint of their bytes',
  async (t) => {
    const h = await harness(t);
    const dir = t.testdir();
    const first = (await h.ingest(complete(dir, '20240907'))).imports[0]!;
    t.equal(first.status, 'applied');
    const stored = await rawHashes(h);
    t.equal(stored.size, 8);
    t.ok(
      [...stored.values()].every((v) => v !== null && v.length === 28),
      'every person has one',
    );

    t.test('a modifyRequest clears it, a later addRequest sets it again', async (t) => {
      const delta = (await h.ingest(variant(join(dir, 'delta'), { from: '2d', pick: 'Delta' })))
        .imports[0]!;
      t.equal(delta.status, 'applied');
      const after = await rawHashes(h);
      t.equal(after.get('9300102'), null, 'modified: its bytes no longer describe it');
      t.equal(after.get('9300103')?.length, 28, 'created by an addRequest');
      const again = (await h.ingest(complete(dir, '20240914'))).imports[0]!;
      t.equal(again.status, 'applied');
      t.equal((await rawHashes(h)).get('9300102'), stored.get('9300102'), 'the complete again');
    });

    t.test('a skipped request is not parsed; a parsed unchanged one refreshes it', async (t) => {
      // Tamper with what parsing would compare: a skipped request never looks at it.
      await sql`alter table person disable trigger person_raw_hash_stale`.execute(h.db);
      await sql`update person set record_hash = 'tampered' where jointure = '9320301'`.execute(
        h.db,
      );
      await sql`alter table person enable trigger person_raw_hash_stale`.execute(h.db);
      await sql`update person set raw_hash = null where jointure = '9320302'`.execute(h.db);
      const events = await h.db
        .selectFrom('change_event')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirstOrThrow();
      const r = (await h.ingest(complete(dir, '20240921', [WITHOUT_9320303]))).imports[0]!;
      t.equal(r.status, 'applied');
      const staff = r.files.find((f) => f.entity === 'PersEducNat')!;
      t.equal(staff.records, 2);
      t.match(staff.outcomes, { unchanged: 2, updated: 0, created: 0 });
      const first0907 = first.files.find((f) => f.entity === 'PersEducNat')!;
      t.same(staff.unknownAttributes, first0907.unknownAttributes, 'unknown attributes counted');
      for (const entity of ['Eleve', 'PersRelEleve']) {
        const f = r.files.find((x) => x.entity === entity)!;
        t.equal(f.outcomes.unchanged, f.records, `${entity}: all unchanged`);
        t.same(
          f.unknownAttributes,
          first.files.find((x) => x.entity === entity)!.unknownAttributes,
        );
      }
      const row = await h.db
        .selectFrom('person')
        .select(['record_hash', 'version'])
        .where('jointure', '=', '9320301')
        .executeTakeFirstOrThrow();
      t.equal(row.record_hash, 'tampered', 'skipped: never parsed nor compared');
      const after = await rawHashes(h);
      t.equal(after.get('9320302'), stored.get('9320302'), 'refreshed from its parsed bytes');
      const departed = await h.db
        .selectFrom('person')
        .select('state')
        .where('jointure', '=', '9320303')
        .executeTakeFirstOrThrow();
      t.equal(departed.state, 'departed', 'absent from the complete: departs as before');
      const written = await h.db
        .selectFrom('change_event')
        .select(['entity_type', 'entity_key', 'op'])
        .where('seq', '>', Number(events.seq))
        .execute();
      t.ok(written.length > 0);
      t.ok(
        written.every((e) => e.entity_key.includes('9320303')),
        'events only for the departure (its links with it)',
      );
    });

    t.test('a dry run stores no fingerprint', async (t) => {
      await sql`update person set raw_hash = null where jointure = '9320302'`.execute(h.db);
      const r = (await h.ingest(complete(dir, '20240928', [WITHOUT_9320303]), { dryRun: true }))
        .imports[0]!;
      t.equal(r.status, 'dry_run');
      t.equal((await rawHashes(h)).get('9320302'), null);
    });
  },
);
