import t from 'tap';
import { project, wantsType, type LogEvent } from '../src/index.js';

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
