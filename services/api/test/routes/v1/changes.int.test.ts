import { appendEvents, purgeEvents } from '@aaf-sync/db';
import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

interface Item {
  seq: number;
  type: string;
  key: string;
  version: number;
  uais: string[];
  changes: Record<string, unknown>;
  importId: number | null;
}
interface Page {
  items: Item[];
  nextCursor: string;
  hasMore: boolean;
}

t.test('change feed', async (t) => {
  const ctx = await build(t);
  const school = await seedSchool(ctx.db);
  const reader = await ctx.key(['changes:read']);
  const page = async (query: string, token = reader) => {
    const res = await ctx.get(token, `/v1/changes${query}`);
    t.equal(res.statusCode, 200, `GET /v1/changes${query}`);
    return body<Page>(res);
  };

  const all = await page('?limit=1000');
  t.test('returns every event in seq order, with its fields', async (t) => {
    t.equal(all.items.length, 11);
    t.equal(all.hasMore, false);
    const seqs = all.items.map((i) => i.seq);
    t.same(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'ordered by seq',
    );
    t.equal(all.items[0]!.type, 'structure.created');
    t.equal(all.items[0]!.importId, school.importId);
    const tombstone = all.items.find((i) => i.type === 'membership.deleted')!;
    t.equal(tombstone.key, `class:${A.jointure}$3A|A-P3`);
    t.same(tombstone.changes, { reason: 'departed' });
  });

  t.test('pages of `limit` follow each other without gap or repeat', async (t) => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const p: Page = await page(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      t.ok(p.items.length <= 3);
      seen.push(...p.items.map((x) => x.seq));
      cursor = p.nextCursor;
      if (!p.hasMore) break;
    }
    t.same(
      seen,
      all.items.map((x) => x.seq),
    );
    const end = await page(`?cursor=${cursor}`);
    t.same(end.items, [], 'nothing after the head');
    t.equal(end.nextCursor, cursor, 'the cursor stays at the head');
  });

  t.test('personal fields are stripped for changes:read, kept for accounts:read', async (t) => {
    const created = all.items.find((i) => i.type === 'person.created' && i.key === 'A-P1')!;
    t.same(created.changes, {
      after: { jointure: 'A-P1', givenName: 'Alice', sn: 'Martin' },
      redacted: true,
    });
    const updated = all.items.find((i) => i.type === 'person.updated')!;
    t.same(updated.changes, { fields: { givenName: ['Alise', 'Alice'] }, redacted: true });
    const text = JSON.stringify(all);
    for (const secret of ['alice@example.org', '2010-01-02', '123456789AB', '0611111111']) {
      t.notOk(text.includes(secret), `${secret} is not in the feed`);
    }
    const full = await page('?limit=1000', await ctx.key(['changes:read', 'accounts:read']));
    const fullUpdated = full.items.find((i) => i.type === 'person.updated')!;
    t.same(fullUpdated.changes, {
      fields: {
        givenName: ['Alise', 'Alice'],
        mail: [null, 'alice@example.org'],
        'details.contact.mobile': [null, '0611111111'],
      },
    });
  });

  t.test('types filter', async (t) => {
    const p = await page('?types=person.updated,membership');
    t.same(
      p.items.map((i) => i.type),
      ['membership.created', 'membership.created', 'person.updated', 'membership.deleted'],
    );
    t.equal(p.nextCursor, all.nextCursor, 'the cursor moves past filtered-out events to the head');
    const bad = await ctx.get(reader, '/v1/changes?types=person.renamed');
    t.equal(bad.statusCode, 400);
    t.equal(body(bad).code, 'API_ERR_VALIDATION');
  });

  t.test('uai filter', async (t) => {
    const p = await page(`?uai=${B.uai}`);
    t.ok(p.items.length > 0);
    t.ok(p.items.every((i) => i.uais.includes(B.uai)));
    const both = await page(`?uai=${A.uai},${B.uai}`);
    t.equal(both.items.length, all.items.length - 1, 'all but the subject (no UAI)');
  });

  t.test('an establishment-scoped key sees its events and nomenclatures only', async (t) => {
    const scoped = await ctx.key(['changes:read'], [A.uai]);
    const p = await page('?limit=1000', scoped);
    t.ok(
      p.items.some((i) => i.type === 'subject.created'),
      'nomenclatures are shared',
    );
    t.ok(p.items.every((i) => i.uais.length === 0 || i.uais.includes(A.uai)));
    const text = JSON.stringify(p);
    t.notOk(/B-|Zorglub|S-B2|0990002P/.test(text), 'nothing of B');
    const foreign = await ctx.get(scoped, `/v1/changes?uai=${B.uai}`);
    t.equal(foreign.statusCode, 403);
    t.equal(body(foreign).code, 'API_ERR_OUT_OF_SCOPE');
  });

  t.test('cursor=now starts at the head', async (t) => {
    const head = await page('?cursor=now');
    t.same(head.items, []);
    t.equal(head.hasMore, false);
    await ctx.db.transaction().execute((trx) =>
      appendEvents(trx, [
        {
          entityType: 'person',
          entityKey: 'A-P2',
          op: 'updated',
          version: 2,
          uais: [A.uai],
          changes: { fields: { sn: ['Durand', 'Durand-Roy'] } },
        },
      ]),
    );
    const next = await page(`?cursor=${head.nextCursor}`);
    t.same(
      next.items.map((i) => [i.type, i.key, i.changes]),
      [['person.updated', 'A-P2', { fields: { sn: ['Durand', 'Durand-Roy'] } }]],
    );
  });

  t.test('bad cursors are 400, never 500', async (t) => {
    for (const cursor of [
      'garbage!',
      'e30',
      Buffer.from('{"l":"persons","a":1,"f":1}').toString('base64url'),
    ]) {
      const res = await ctx.get(reader, `/v1/changes?cursor=${cursor}`);
      t.equal(res.statusCode, 400, cursor);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
    }
  });

  t.test('after a purge, an older cursor is 410 with a resync instruction', async (t) => {
    const before = await page('?limit=2');
    const atHead = await page('?cursor=now');
    const purged = await purgeEvents(ctx.db, {
      olderThan: new Date(Date.now() + 60_000),
      actor: 'test',
    });
    t.ok(purged.deleted > 0);
    for (const query of [`?cursor=${before.nextCursor}`, '']) {
      const res = await ctx.get(reader, `/v1/changes${query}`);
      t.equal(res.statusCode, 410, `410 for ${query || 'no cursor'}`);
      const problem = body<Record<string, unknown>>(res);
      t.equal(problem.code, 'API_ERR_CURSOR_EXPIRED');
      t.equal(problem.status, 410);
      t.match(problem.resync, { snapshot: /GET \/v1\/persons/, then: /cursor=<feedCursor>/ });
    }
    const fromHead = await ctx.get(reader, `/v1/changes?cursor=${atHead.nextCursor}`);
    t.equal(fromHead.statusCode, 200, 'a cursor at the watermark is still valid');
    t.equal((await ctx.get(reader, '/v1/changes?cursor=now')).statusCode, 200);
  });

  t.test('a key without changes:read is refused', async (t) => {
    const res = await ctx.get(await ctx.key(['directory:read']), '/v1/changes');
    t.equal(res.statusCode, 403);
    t.equal(body(res).code, 'API_ERR_FORBIDDEN');
  });
});
