import { recordNotice } from '@aaf-sync/scheduler';
import t from 'tap';
import { build } from './helper.js';

const A = '0990001N';
const B = '0990002P';

t.test(
  'GET /v1/notices and POST /v1/notices/{id}/read: scoped inboxes, manager inboxes, pages',
  async (t) => {
    const ctx = await build(t);
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) {
      ids.push(
        (
          await recordNotice(ctx.db, {
            kind: 'groups.warning',
            uais: [A],
            managers: [10 + i],
            title: `warning ${i}`,
            body: 'Extend your groups.',
            data: { groups: [`g${i}`] },
            dedupeKey: `w/${i}`,
          })
        ).id,
      );
    }
    const missing = await recordNotice(ctx.db, {
      kind: 'delivery.missing',
      uais: [],
      title: 'AAF delta of 2025-07-02 missing',
      body: '',
      dedupeKey: 'd/1',
    });
    const other = await recordNotice(ctx.db, {
      kind: 'campaign.preview',
      uais: [B],
      title: 'preview B',
      body: '',
      dedupeKey: 'c/1',
    });
    const admin = await ctx.key(['admin']);
    const scopedA = await ctx.key(['directory:read'], [A]);

    const page1 = await ctx.get(admin, '/v1/notices?limit=2');
    t.equal(page1.statusCode, 200);
    const p1 = page1.json<{ items: { id: number }[]; nextCursor: string | null }>();
    t.same(
      p1.items.map((n) => n.id),
      [other.id, missing.id],
      'newest first',
    );
    t.ok(p1.nextCursor);
    const page2 = await ctx.get(admin, `/v1/notices?limit=2&cursor=${p1.nextCursor}`);
    t.same(
      page2.json<{ items: { id: number }[] }>().items.map((n) => n.id),
      [ids[2], ids[1]],
    );

    const own = await ctx.get(scopedA, '/v1/notices');
    t.same(
      own.json<{ items: { id: number }[] }>().items.map((n) => n.id),
      [...ids].reverse(),
      'a scoped key reads the notices of its establishments only',
    );
    const kind = await ctx.get(admin, '/v1/notices?kind=delivery.missing');
    t.match(kind.json(), {
      items: [{ id: missing.id, kind: 'delivery.missing', uais: [], managers: null, readAt: null }],
    });

    const inbox = await ctx.get(scopedA, '/v1/notices?manager=12');
    t.match(inbox.json(), { items: [{ id: ids[1], managers: [12], data: { groups: ['g2'] } }] });
    const read = await ctx.inject({
      method: 'POST',
      url: `/v1/notices/${ids[1]}/read?manager=12`,
      headers: { authorization: `Bearer ${scopedA}` },
    });
    t.equal(read.statusCode, 200);
    t.ok(read.json<{ readAt: string }>().readAt);
    const unread = await ctx.get(scopedA, '/v1/notices?manager=12&unread=true');
    t.same(unread.json<{ items: unknown[] }>().items, [], "read marks of the manager's inbox");
    const keyInbox = await ctx.get(scopedA, '/v1/notices?unread=true');
    t.equal(
      keyInbox.json<{ items: unknown[] }>().items.length,
      3,
      'the key has its own read marks',
    );

    const foreign = await ctx.inject({
      method: 'POST',
      url: `/v1/notices/${other.id}/read`,
      headers: { authorization: `Bearer ${scopedA}` },
    });
    t.equal(foreign.statusCode, 404);
    t.match(foreign.json(), { code: 'SCHEDULER_ERR_NOTICE_NOT_FOUND' });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'notices.read')
      .execute();
    t.ok(audit.length >= 1, 'marking read is audited');
    const metrics = await ctx.inject({ url: '/metrics' });
    t.match(
      metrics.body,
      /aaf_calendar_deliveries_missing_total 1/,
      'the missing file is a metric',
    );
  },
);
