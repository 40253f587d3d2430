import { appendEvents, sql, type Database, type Kysely } from '@aaf-sync/db';
import { seedStructure } from '@aaf-sync/testing';
import t, { type Test } from 'tap';
import { body, build } from './helper.js';

const UAI = '0990001N';
const SJ = 'S-A1';

interface Held {
  givenName: string;
  sn: string;
  state: string;
  version: number;
}

/** A tiny deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

async function createPerson(db: Kysely<Database>, jointure: string, n: number) {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('person')
      .values({
        jointure,
        category: 'pupil',
        profile: 'pupil',
        level: '2d',
        given_name: `G${n}`,
        sn: `S${n}`,
        primary_structure: SJ,
        attributes: '{}',
        record_hash: 'h',
      })
      .execute();
    await trx
      .insertInto('person_structure')
      .values({ person_jointure: jointure, structure_jointure: SJ })
      .execute();
    await appendEvents(trx, [
      {
        entityType: 'person',
        entityKey: jointure,
        op: 'created',
        version: 1,
        uais: [UAI],
        changes: { after: { jointure, givenName: `G${n}`, sn: `S${n}`, state: 'active' } },
      },
    ]);
  });
}

/** One "import": a few persons updated (or departed) and their events, in one transaction. */
async function importBatch(
  db: Kysely<Database>,
  jointures: string[],
  rnd: () => number,
  tag: string,
) {
  await db.transaction().execute(async (trx) => {
    const events = [];
    for (const jointure of jointures) {
      const before = await trx
        .selectFrom('person')
        .select(['given_name', 'sn', 'state'])
        .where('jointure', '=', jointure)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (before.state === 'active' && rnd() < 0.1) {
        const row = await trx
          .updateTable('person')
          .set({ state: 'departed', departed_at: new Date(), version: sql`version + 1` })
          .where('jointure', '=', jointure)
          .returning('version')
          .executeTakeFirstOrThrow();
        events.push({
          entityType: 'person' as const,
          entityKey: jointure,
          op: 'departed' as const,
          version: row.version,
          uais: [UAI],
          changes: { departedAt: new Date().toISOString(), structures: [SJ] },
        });
        continue;
      }
      const field = rnd() < 0.5 ? 'given_name' : 'sn';
      const value = `${field === 'sn' ? 'S' : 'G'}-${tag}`;
      const row = await trx
        .updateTable('person')
        .set({ [field]: value, version: sql`version + 1` })
        .where('jointure', '=', jointure)
        .returning('version')
        .executeTakeFirstOrThrow();
      const name = field === 'sn' ? 'sn' : 'givenName';
      events.push({
        entityType: 'person' as const,
        entityKey: jointure,
        op: 'updated' as const,
        version: row.version,
        uais: [UAI],
        changes: { fields: { [name]: [before[field], value] } },
      });
      // Let other writers and the reader run in the middle of the transaction.
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 3)));
    }
    await appendEvents(trx, events);
  });
}

t.test(
  'a consumer that snapshots then follows the feed ends with the directory state',
  async (t) => {
    const ctx = await build(t);
    await seedStructure(ctx.db, { jointure: SJ, uai: UAI, name: 'Collège Alpha' });
    for (let i = 0; i < 30; i++) await createPerson(ctx.db, `P${String(i).padStart(3, '0')}`, i);
    const token = await ctx.key(['changes:read']);

    let writersDone = false;
    let created = 30;
    const writer = async (w: number) => {
      const rnd = prng(1000 + w);
      for (let k = 0; k < 12; k++) {
        if (rnd() < 0.2) {
          const n = created++;
          await createPerson(ctx.db, `P${String(n).padStart(3, '0')}`, n);
          continue;
        }
        const pick = new Set<string>();
        const size = 1 + Math.floor(rnd() * 4);
        while (pick.size < size) pick.add(`P${String(Math.floor(rnd() * 30)).padStart(3, '0')}`);
        // Lock rows in a fixed order: concurrent "imports" must not deadlock each other.
        await importBatch(ctx.db, [...pick].sort(), rnd, `w${w}k${k}`);
      }
    };
    const writers = Promise.all([0, 1, 2].map(writer)).then(() => (writersDone = true));

    const held = new Map<string, Held>();
    let dropped = 0;
    let applied = 0;
    const consumer = async () => {
      // 1. Snapshot, in small pages, while the writers run.
      let cursor: string | null = null;
      let feedCursor = '';
      do {
        const res = await ctx.get(token, `/v1/persons?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        t.equal(res.statusCode, 200);
        const page = body<{
          items: (Held & { jointure: string })[];
          nextCursor: string | null;
          feedCursor: string;
        }>(res);
        feedCursor ||= page.feedCursor;
        t.equal(page.feedCursor, feedCursor, 'every page carries the snapshot cursor');
        for (const p of page.items)
          held.set(p.jointure, {
            givenName: p.givenName,
            sn: p.sn,
            state: p.state,
            version: p.version,
          });
        cursor = page.nextCursor;
        await new Promise((r) => setTimeout(r, 2));
      } while (cursor);
      // 2. Follow the feed until the writers are done and the head is reached.
      let next = feedCursor;
      for (;;) {
        const done = writersDone;
        const res = await ctx.get(token, `/v1/changes?types=person&limit=5&cursor=${next}`);
        t.equal(res.statusCode, 200);
        const page = body<{
          items: { key: string; type: string; version: number; changes: Record<string, unknown> }[];
          nextCursor: string;
          hasMore: boolean;
        }>(res);
        for (const e of page.items) {
          const mine = held.get(e.key);
          if (mine && e.version <= mine.version) {
            dropped++; // already in the snapshot page read after this change
            continue;
          }
          if (mine && e.version !== mine.version + 1)
            t.fail(`gap for ${e.key}: held v${mine.version}, got v${e.version}`);
          applied++;
          if (e.type === 'person.created') {
            if (mine) t.fail(`created event for a known person ${e.key}`);
            const after = e.changes.after as Held;
            held.set(e.key, {
              givenName: after.givenName,
              sn: after.sn,
              state: after.state,
              version: e.version,
            });
          } else if (e.type === 'person.updated') {
            if (!mine) {
              t.fail(`update of an unknown person ${e.key}`);
              continue;
            }
            const fields = e.changes.fields as Record<string, [unknown, unknown]>;
            if (fields.givenName) mine.givenName = fields.givenName[1] as string;
            if (fields.sn) mine.sn = fields.sn[1] as string;
            mine.version = e.version;
          } else if (e.type === 'person.departed') {
            if (!mine) {
              t.fail(`departure of an unknown person ${e.key}`);
              continue;
            }
            mine.state = 'departed';
            mine.version = e.version;
          }
        }
        next = page.nextCursor;
        if (!page.hasMore) {
          if (done) break;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    await Promise.all([writers, consumer()]);

    const truth = await ctx.db
      .selectFrom('person')
      .select(['jointure', 'given_name', 'sn', 'state', 'version'])
      .orderBy('jointure')
      .execute();
    const expected = Object.fromEntries(
      truth.map((p) => [
        p.jointure,
        { givenName: p.given_name, sn: p.sn, state: p.state, version: p.version },
      ]),
    );
    const actual = Object.fromEntries([...held.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    t.same(actual, expected, 'the consumer state equals the directory');
    const events = await ctx.db
      .selectFrom('change_event')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    t.ok(
      applied > 0,
      `${applied} events applied, ${dropped} dropped by version, ${events.n} in the log`,
    );
    t.ok(truth.length > 30, 'persons were created during the run');
  },
);

// A scoped reader: persons of A, of B and of both; moves between A and B, name changes and
// changes of B's data only, by concurrent writers. A key of A that snapshots then follows the
// feed ends with the same persons (and names) as one that follows the feed from the start, and
// both equal the persons of A in the directory.
const UAI_B = '0990002P';
const SJ_B = 'S-B2';
const UAI_OF: Record<string, string> = { [SJ]: UAI, [SJ_B]: UAI_B };
const PLACES = [[SJ], [SJ_B], [SJ, SJ_B]];

interface Named {
  givenName: string;
  sn: string;
  version: number;
}

async function createPlaced(db: Kysely<Database>, jointure: string, n: number, place: string[]) {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('person')
      .values({
        jointure,
        category: 'staff',
        profile: 'teacher',
        level: '2d',
        given_name: `G${n}`,
        sn: `S${n}`,
        primary_structure: place[0]!,
        attributes: '{}',
        record_hash: 'h',
      })
      .execute();
    await trx
      .insertInto('person_structure')
      .values(place.map((s) => ({ person_jointure: jointure, structure_jointure: s })))
      .execute();
    await appendEvents(trx, [
      {
        entityType: 'person',
        entityKey: jointure,
        op: 'created',
        version: 1,
        uais: place.map((s) => UAI_OF[s]!),
        changes: {
          after: { jointure, givenName: `G${n}`, sn: `S${n}`, state: 'active', structures: place },
        },
      },
    ]);
  });
}

async function changePlaced(
  db: Kysely<Database>,
  jointure: string,
  rnd: () => number,
  tag: string,
  moveTo?: string[],
) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('person')
      .select(['given_name', 'sn'])
      .where('jointure', '=', jointure)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const was = (
      await trx
        .selectFrom('person_structure')
        .select('structure_jointure')
        .where('person_jointure', '=', jointure)
        .orderBy('structure_jointure')
        .execute()
    ).map((r) => r.structure_jointure);
    const roll = rnd();
    let fields: Record<string, unknown>;
    let now = was;
    if (roll < 0.35) {
      now = moveTo ?? PLACES[Math.floor(rnd() * PLACES.length)]!;
      await trx.deleteFrom('person_structure').where('person_jointure', '=', jointure).execute();
      await trx
        .insertInto('person_structure')
        .values(now.map((s) => ({ person_jointure: jointure, structure_jointure: s })))
        .execute();
      fields = { structures: [was, now] };
    } else if (roll < 0.6) {
      // B's data only: a subject taught in B.
      fields = {
        'details.staff.subjectsTaught': [
          [{ structure: SJ_B, label: 'OLD' }],
          [{ structure: SJ_B, label: `NEW-${tag}` }],
        ],
      };
    } else {
      const field = rnd() < 0.5 ? 'given_name' : 'sn';
      const value = `${field === 'sn' ? 'S' : 'G'}-${tag}`;
      await trx
        .updateTable('person')
        .set({ [field]: value })
        .where('jointure', '=', jointure)
        .execute();
      fields = { [field === 'sn' ? 'sn' : 'givenName']: [before[field], value] };
    }
    const row = await trx
      .updateTable('person')
      .set({ version: sql`version + 1` })
      .where('jointure', '=', jointure)
      .returning('version')
      .executeTakeFirstOrThrow();
    await appendEvents(trx, [
      {
        entityType: 'person',
        entityKey: jointure,
        op: 'updated',
        version: row.version,
        uais: [...new Set([...was, ...now])].map((s) => UAI_OF[s]!),
        changes: { fields },
      },
    ]);
  });
}

interface ScopedItem {
  key: string;
  type: string;
  version: number;
  changes: Record<string, unknown>;
}

/** Applies feed items to a scoped consumer's state, counting the item types. */
function applyScoped(
  t: Test,
  held: Map<string, Named>,
  items: ScopedItem[],
  seen: Map<string, number>,
) {
  for (const e of items) {
    seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
    const mine = held.get(e.key);
    if (e.type === 'person.left') {
      held.delete(e.key);
      continue;
    }
    if (mine && e.version <= mine.version) continue; // already in the snapshot
    if (e.type === 'person.created' || e.type === 'person.entered') {
      const after = e.changes.after as Named;
      held.set(e.key, { givenName: after.givenName, sn: after.sn, version: e.version });
    } else if (e.type === 'person.updated') {
      if (!mine) {
        t.fail(`update of a person unknown to A: ${e.key} ${JSON.stringify(e.changes)}`);
        continue;
      }
      const fields = e.changes.fields as Record<string, [unknown, unknown]>;
      if (fields.givenName) mine.givenName = fields.givenName[1] as string;
      if (fields.sn) mine.sn = fields.sn[1] as string;
      if (fields['details.staff.subjectsTaught']) t.fail(`B's subjects served to A: ${e.key}`);
      mine.version = e.version;
    }
  }
}

t.test(
  'a scoped consumer: snapshot then feed = feed from the start = the persons of A',
  async (t) => {
    const ctx = await build(t);
    await seedStructure(ctx.db, { jointure: SJ, uai: UAI, name: 'Collège Alpha' });
    await seedStructure(ctx.db, { jointure: SJ_B, uai: UAI_B, name: 'Lycée Zorglub' });
    const seedRnd = prng(7);
    for (let i = 0; i < 24; i++) {
      await createPlaced(ctx.db, `Q${i}`, i, PLACES[Math.floor(seedRnd() * PLACES.length)]!);
    }
    const token = await ctx.key(['changes:read'], [UAI]);

    let writersDone = false;
    const writer = async (w: number) => {
      const rnd = prng(2000 + w);
      for (let k = 0; k < 15; k++) {
        await changePlaced(ctx.db, `Q${Math.floor(rnd() * 24)}`, rnd, `w${w}k${k}`);
      }
    };
    // QB, of B only, comes to A at the end: its entry is read while it is in A.
    await createPlaced(ctx.db, 'QB', 99, [SJ_B]);
    const writers = Promise.all([0, 1, 2].map(writer))
      .then(() => changePlaced(ctx.db, 'QB', () => 0, 'end', [SJ]))
      .then(() => (writersDone = true));

    const seen = new Map<string, number>();
    const follow = async (held: Map<string, Named>, from: string) => {
      let next = from;
      for (;;) {
        const done = writersDone;
        const res = await ctx.get(
          token,
          `/v1/changes?types=person&limit=4${next ? `&cursor=${next}` : ''}`,
        );
        t.equal(res.statusCode, 200);
        const page = body<{ items: ScopedItem[]; nextCursor: string; hasMore: boolean }>(res);
        t.notOk(res.body.includes(UAI_B) || res.body.includes(SJ_B), 'nothing of B in the page');
        applyScoped(t, held, page.items, seen);
        next = page.nextCursor;
        if (!page.hasMore) {
          if (done) return;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };

    const fromSnapshot = new Map<string, Named>();
    const snapshotConsumer = async () => {
      let cursor: string | null = null;
      let feedCursor = '';
      do {
        const res = await ctx.get(token, `/v1/persons?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        const page = body<{
          items: (Named & { jointure: string })[];
          nextCursor: string | null;
          feedCursor: string;
        }>(res);
        feedCursor ||= page.feedCursor;
        for (const p of page.items)
          fromSnapshot.set(p.jointure, { givenName: p.givenName, sn: p.sn, version: p.version });
        cursor = page.nextCursor;
        await new Promise((r) => setTimeout(r, 2));
      } while (cursor);
      await follow(fromSnapshot, feedCursor);
    };
    const fromStart = new Map<string, Named>();
    await Promise.all([writers, snapshotConsumer(), follow(fromStart, '')]);

    const truth = await ctx.db
      .selectFrom('person as p')
      .select(['p.jointure', 'p.given_name', 'p.sn'])
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('person_structure as ps')
            .select('ps.person_jointure')
            .whereRef('ps.person_jointure', '=', 'p.jointure')
            .where('ps.structure_jointure', '=', SJ),
        ),
      )
      .orderBy('p.jointure')
      .execute();
    const expected = Object.fromEntries(
      truth.map((p) => [p.jointure, { givenName: p.given_name, sn: p.sn }]),
    );
    const names = (m: Map<string, Named>) =>
      Object.fromEntries(
        [...m.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [k, { givenName: v.givenName, sn: v.sn }]),
      );
    t.ok(truth.length > 0 && truth.length < 25, `${truth.length} of 25 persons are in A`);
    for (const type of ['person.created', 'person.updated', 'person.left', 'person.entered'])
      t.ok((seen.get(type) ?? 0) > 0, `${type} was served (${seen.get(type) ?? 0})`);
    t.same(names(fromSnapshot), expected, 'snapshot + feed = the persons of A');
    t.same(names(fromStart), expected, 'feed from the start = the persons of A');
  },
);
