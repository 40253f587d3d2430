import { appendEvents, type EventEntity } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import { createSubscription, type SubscriptionContext, type WebhookPayload } from '../src/index.js';
import { box, captureLog, runtimeFor, UAI_A, UAI_B } from './fixtures.js';
import { independentVerify, startReceiver, type Received } from './receiver.js';

const payloadOf = (r: Received) => JSON.parse(r.body) as WebhookPayload;
const summary = (rs: readonly Received[]) =>
  rs
    .map(payloadOf)
    .sort((a, b) => a.data.seq - b.data.seq)
    .map((p) => `${p.type} ${p.data.id}`);
// The `notice` entity of the event log is added by the calendar scheduler (packages/db
// EVENT_ENTITIES); change_event.entity_type has no CHECK constraint, so the row is real.
const NOTICE = 'notice' as EventEntity;

t.test(
  'account.disabled/created/restored from directory and calendar events; notice.* by establishment',
  async (t) => {
    const { db, url } = await testDb(t);
    const redis = await testRedis(t);
    const { log } = captureLog('warn');
    const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
    const a = await startReceiver();
    const b = await startReceiver();
    const wide = await startReceiver();
    t.teardown(() => Promise.all([a.close(), b.close(), wide.close()]));
    const { secret } = await createSubscription(
      ctx,
      { name: 'hook-a', url: a.url, uais: [UAI_A], eventTypes: ['account.*', 'notice.*'] },
      'test',
    );
    await createSubscription(
      ctx,
      { name: 'hook-b', url: b.url, uais: [UAI_B], eventTypes: ['notice.*'] },
      'test',
    );
    const academie = await createSubscription(
      ctx,
      {
        name: 'hook-academie',
        url: wide.url,
        uais: [UAI_A],
        eventTypes: ['notice.delivery.missing', 'notice.groups.warning'],
        academieWide: true,
      },
      'test',
    );
    t.equal(academie.subscription.academieWide, true);
    const runtime = runtimeFor(db, url, redis, { log });
    t.teardown(() => runtime.close());
    await runtime.start();

    await db.transaction().execute((trx) =>
      appendEvents(trx, [
        // packages/ingest relative-structures: a relative loses its last legal link…
        {
          entityType: 'person',
          entityKey: 'R1',
          op: 'updated',
          version: 4,
          uais: [UAI_A],
          changes: { fields: { structures: [['S-A'], []], hasAccount: [true, false] } },
        },
        // … another gains one (identifiers allocated then).
        {
          entityType: 'person',
          entityKey: 'R2',
          op: 'updated',
          version: 2,
          uais: [UAI_A],
          changes: {
            fields: { hasAccount: [false, true], identifiers: [{}, { scribe: 'r.two' }] },
          },
        },
        // The calendar's rentrée blocking, then its end.
        {
          entityType: 'person',
          entityKey: 'P1',
          op: 'updated',
          version: 5,
          uais: [UAI_A],
          changes: { accessBlocked: [false, true] },
          actor: 'calendar',
        },
        {
          entityType: 'person',
          entityKey: 'P1',
          op: 'updated',
          version: 6,
          uais: [UAI_A],
          changes: { accessBlocked: [true, false] },
          actor: 'calendar',
        },
        // Notices: one of establishment A, one of B, one académie-wide (no establishment).
        {
          entityType: NOTICE,
          entityKey: '1',
          op: 'created',
          version: 1,
          uais: [UAI_A],
          changes: {
            kind: 'groups.warning',
            title: 'Groups end soon',
            body: '3 groups',
            managers: [],
          },
          actor: 'calendar',
        },
        {
          entityType: NOTICE,
          entityKey: '2',
          op: 'created',
          version: 1,
          uais: [UAI_B],
          changes: { kind: 'delivery.missing', title: 'No file from B', body: '…' },
          actor: 'calendar',
        },
        {
          entityType: NOTICE,
          entityKey: '3',
          op: 'created',
          version: 1,
          uais: [],
          changes: { kind: 'delivery.missing', title: 'No AAF file today', body: '…' },
          actor: 'calendar',
        },
      ]),
    );
    await until('A’s five events', () => a.received.length === 5);
    await until('B’s notice', () => b.received.length === 1);
    await until('the académie-wide subscription’s two notices', () => wide.received.length === 2);
    t.same(summary(a.received), [
      'account.disabled R1',
      'account.created R2',
      'account.disabled P1',
      'account.restored P1',
      'notice.groups.warning 1',
    ]);
    t.same(summary(b.received), ['notice.delivery.missing 2'], 'B: its own notice only');
    t.same(
      summary(wide.received),
      ['notice.groups.warning 1', 'notice.delivery.missing 3'],
      'académie-wide: its establishment’s notice and the one of no establishment',
    );
    const p1 = a.received.map(payloadOf).filter((p) => p.data.id === 'P1');
    t.same(
      p1.map((p) => p.type),
      ['account.disabled', 'account.restored'],
      'blocking then its end, in order (same entity)',
    );
    t.same(p1[0]?.data.changed, ['accessBlocked']);
    const notice = a.received.map(payloadOf).find((p) => p.data.entity === 'notice');
    t.same(notice?.data, {
      seq: notice?.data.seq,
      entity: 'notice',
      id: '1',
      version: 1,
      establishments: [UAI_A],
      changed: [],
      notice: { kind: 'groups.warning', title: 'Groups end soon' },
    });
    t.ok(a.received.every((r) => independentVerify(secret, r.headers, r.body)));
    // A notice alone moves no snapshot: no cue for B or the académie-wide subscription.
    const cues = await db
      .selectFrom('webhook_delivery')
      .select('id')
      .where('event_type', '=', 'snapshot.published')
      .execute();
    t.equal(cues.length, 0, 'no snapshot.published from notices (A filters cues out too)');
  },
);
