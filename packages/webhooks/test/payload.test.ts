import t from 'tap';
import { isKnownPattern, project, wantsType, type LogEvent } from '../src/index.js';

const event = (o: Partial<LogEvent>): LogEvent => ({
  seq: 7,
  occurredAt: new Date('2026-09-01T08:00:00Z'),
  entityType: 'person',
  entityKey: 'J1',
  op: 'updated',
  version: 3,
  uais: ['0750001A', '0750002B'],
  changes: { sn: ['Old', 'New'], attributes: { x: 1 } },
  personJointure: null,
  ...o,
});

t.test('thin payloads; personal data only when the scope allows', async (t) => {
  const thin = project(event({}), ['0750001A'], false);
  t.same(
    thin?.payload.data,
    {
      seq: 7,
      entity: 'account',
      id: 'J1',
      version: 3,
      establishments: ['0750001A'],
      changed: ['sn'],
    },
    'names of changed fields, only the subscription’s establishments, no raw attributes',
  );
  t.equal(thin?.orderKey, 'account:J1');
  const full = project(event({}), ['0750001A'], true);
  t.same(full?.payload.data.personal, { sn: 'New' }, 'new values with includePersonalData');
  t.equal(
    project(event({ op: 'departed', changes: {} }), ['0750001A'], false)?.type,
    'account.departed',
  );
  const login = project(
    event({ entityType: 'identifier', entityKey: 'scribe:jdupont', personJointure: 'J1' }),
    ['0750001A'],
    true,
  );
  t.match(login, {
    type: 'account.updated',
    orderKey: 'account:J1',
    payload: { data: { changed: ['login.scribe'] } },
  });
  t.notOk(login && 'personal' in login.payload.data);
  t.equal(
    project(event({ entityType: 'group', entityKey: 'S-A$G1', op: 'created' }), ['0750001A'], false)
      ?.type,
    'group.created',
  );
  t.equal(
    project(
      event({ entityType: 'membership', entityKey: 'group:S-A$G1|J1', op: 'deleted' }),
      ['0750001A'],
      false,
    )?.orderKey,
    'membership:group:S-A$G1|J1',
  );
  t.equal(project(event({ entityType: 'structure' }), ['0750001A'], false), null, 'not followed');
});

t.test('event type filters', async (t) => {
  t.ok(wantsType(undefined, 'account.created'));
  t.ok(wantsType([], 'group.deleted'));
  t.ok(wantsType(['account.*'], 'account.departed'));
  t.notOk(wantsType(['account.*'], 'snapshot.published'));
  t.ok(wantsType(['snapshot.published'], 'snapshot.published'));
  t.notOk(wantsType(['account.created'], 'account.updated'));
});

t.test('the log’s shapes: updated `{ fields }`, created `{ after }`', async (t) => {
  const updated = project(
    event({ changes: { fields: { sn: ['Old', 'New'], mail: [null, 'a@b.fr'] } } }),
    ['0750001A'],
    true,
  );
  t.same(updated?.payload.data.changed, ['sn', 'mail'], 'field names, not `fields`');
  t.same(updated?.payload.data.personal, { sn: 'New', mail: 'a@b.fr' });
  const created = project(
    event({ op: 'created', changes: { after: { sn: 'New', givenName: 'Ana', hasAccount: true } } }),
    ['0750001A'],
    false,
  );
  const restored = project(
    event({ op: 'restored', changes: { fields: { state: ['departed', 'active'] } } }),
    ['0750001A'],
    true,
  );
  t.match(restored, {
    type: 'account.restored',
    payload: { data: { personal: { state: 'active' } } },
  });
  t.match(created, {
    type: 'account.created',
    payload: { data: { changed: ['sn', 'givenName', 'hasAccount'] } },
  });
});

t.test('account state changes: hasAccount and accessBlocked', async (t) => {
  const typeOf = (changes: Record<string, unknown>, actor = {}) =>
    project(event({ changes, ...actor }), ['0750001A'], false)?.type;
  // A relative losing its last legal link (packages/ingest relative-structures / relative-links).
  t.equal(
    typeOf({ fields: { structures: [['S-A'], []], hasAccount: [true, false] } }),
    'account.disabled',
  );
  // Gaining one: identifiers are allocated then, the account exists from now on.
  t.equal(
    typeOf({ fields: { hasAccount: [false, true], identifiers: [{}, { scribe: 'x.y' }] } }),
    'account.created',
  );
  // Created without an account (a relative before its links, a contact): no account event.
  t.equal(
    project(
      event({ op: 'created', changes: { after: { sn: 'Giraud', hasAccount: false } } }),
      ['0750001A'],
      false,
    ),
    null,
  );
  // The calendar's rentrée blocking (actor calendar), flat or under `fields`.
  t.equal(typeOf({ accessBlocked: [false, true] }), 'account.disabled');
  t.equal(typeOf({ accessBlocked: [true, false] }), 'account.restored');
  t.equal(typeOf({ fields: { accessBlocked: [false, true] } }), 'account.disabled');
  t.equal(typeOf({ fields: { accessBlocked: [true, false] } }), 'account.restored');
  // Neither flag flipping: an ordinary update.
  t.equal(typeOf({ fields: { hasAccount: [true, true], sn: ['a', 'b'] } }), 'account.updated');
  t.equal(typeOf({ fields: { accessBlocked: 'odd' } }), 'account.updated');
  const blocked = project(
    event({ changes: { accessBlocked: [false, true] } }),
    ['0750001A'],
    false,
  );
  t.same(blocked?.payload.data.changed, ['accessBlocked']);
  t.equal(blocked?.orderKey, 'account:J1', 'same order key as the account’s other events');
});

t.test('notices: notice.<kind>, body only with personal data', async (t) => {
  const notice = (o: Partial<LogEvent> = {}) =>
    event({
      entityType: 'notice',
      entityKey: '42',
      op: 'created',
      changes: { kind: 'delivery.missing', title: 'No file', body: 'The AAF file of…' },
      ...o,
    });
  const thin = project(notice(), ['0750001A'], false);
  t.same(thin, {
    type: 'notice.delivery.missing',
    orderKey: 'notice:42',
    payload: {
      type: 'notice.delivery.missing',
      timestamp: '2026-09-01T08:00:00.000Z',
      data: {
        seq: 7,
        entity: 'notice',
        id: '42',
        version: 3,
        establishments: ['0750001A'],
        changed: [],
        notice: { kind: 'delivery.missing', title: 'No file' },
      },
    },
  });
  t.equal(project(notice(), ['0750001A'], true)?.payload.data.notice?.body, 'The AAF file of…');
  t.equal(project(notice({ op: 'updated' }), ['0750001A'], false), null, 'created only');
  t.equal(project(notice({ changes: { title: 'x' } }), ['0750001A'], false), null, 'no kind');
  t.equal(project(notice({ changes: { kind: 'Bad Kind' } }), ['0750001A'], false), null);
  t.equal(
    project(notice({ changes: { kind: 'feed.initialisation-expected' } }), [], false)?.type,
    'notice.feed.initialisation-expected',
  );
});

t.test('event type patterns: notice.* is an open family', async (t) => {
  t.ok(wantsType(['notice.*'], 'notice.delivery.missing'));
  t.ok(wantsType(['notice.groups.warning'], 'notice.groups.warning'));
  t.notOk(wantsType(['notice.groups.warning'], 'notice.groups.summary'));
  t.notOk(wantsType(['account.*'], 'notice.delivery.missing'));
  t.ok(wantsType(['account.disabled'], 'account.disabled'));
  for (const p of ['notice.*', 'notice.delivery.missing', 'account.disabled', 'account.*'])
    t.ok(isKnownPattern(p), p);
  for (const p of ['account.c', 'account.unknown', 'nothing.*', 'notice.', 'notice.Bad', 'a.*.b'])
    t.notOk(isKnownPattern(p), p);
});
