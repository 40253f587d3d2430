import t from 'tap';
import {
  feedTypeMatches,
  personRowToView,
  projectEvent,
  scopedReader,
  unrestrictedReader,
  visibleDetails,
  type EventRow,
  type PersonRow,
} from '../src/index.js';

// Establishment A (UAI 0990001N, structure SA) and B (0990002P, structure SB).
const A = '0990001N';
const B = '0990002P';
const readerA = scopedReader('personal', [A], ['SA']);
const publicA = scopedReader('public', [A], ['SA']);
const everything = unrestrictedReader('personal');

function event(op: EventRow['op'], changes: Record<string, unknown>, uais = [A, B]): EventRow {
  return {
    seq: 42,
    occurred_at: new Date('2026-09-01T08:00:00Z'),
    entity_type: 'person',
    entity_key: 'P1',
    op,
    version: 7,
    uais,
    changes,
    import_id: 3,
    person_id: 11,
    person_category: 'pupil',
  };
}

const NEW_ADDRESS = ['12 RUE DE B'];

t.test(
  'a pupil moved from A to B is a person.left tombstone for A, without new data',
  async (t) => {
    const row = event('updated', {
      fields: {
        structures: [['SA'], ['SB']],
        primaryStructure: ['SA', 'SB'],
        'details.contact.address': [['1 RUE DE A'], NEW_ADDRESS],
        'details.contact.city': ['AVILLE', 'BVILLE'],
      },
    });
    const item = projectEvent(row, readerA);
    t.same(item, {
      seq: 42,
      occurredAt: '2026-09-01T08:00:00.000Z',
      type: 'person.left',
      key: 'P1',
      version: 7,
      uais: [A],
      changes: { jointure: 'P1', id: 11, category: 'pupil', structures: ['SA'] },
      importId: 3,
    });
    const text = JSON.stringify(item);
    t.notMatch(text, /RUE DE B|BVILLE|SB|0990002P/, 'nothing of B');

    const forB = projectEvent(row, scopedReader('personal', [B], ['SB']));
    t.equal(forB?.type, 'person.entered', 'the new establishment gets an entry');
    t.same(forB?.changes.structures, ['SB']);
    t.same(forB?.uais, [B]);

    const whole = projectEvent(row, everything);
    t.same(whole?.changes, row.changes, 'an unrestricted reader gets the event whole');
    t.same(whole?.uais, [A, B]);
  },
);

t.test('leaving A while staying in B is person.left for A', async (t) => {
  const row = event('updated', { fields: { structures: [['SA', 'SB'], ['SB']] }, reason: 'x' });
  const item = projectEvent(row, readerA);
  t.equal(item?.type, 'person.left');
  t.same(item?.changes, { jointure: 'P1', id: 11, category: 'pupil', structures: ['SA'] });
});

t.test('a departure from A stays person.departed, reduced to A', async (t) => {
  const row = event('departed', {
    departedAt: '2026-09-01T08:00:00Z',
    structures: ['SA', 'SB'],
    reason: 'absent',
  });
  const item = projectEvent(row, readerA);
  t.equal(item?.type, 'person.departed');
  t.same(item?.changes.structures, ['SA']);
  t.same(item?.uais, [A]);
});

t.test('a teacher of A and B seen by A: no class, subject or function of B', async (t) => {
  const created = event('created', {
    after: {
      id: 11,
      jointure: 'P1',
      givenName: 'Marie',
      sn: 'Curie',
      mail: 'm.curie@example.org',
      primaryStructure: 'SB',
      structures: ['SB', 'SA'],
      details: {
        contact: { city: 'PARIS' },
        staff: {
          mefs: [
            { structure: 'SA', code: 'M1', label: 'SIXIEME' },
            { structure: 'SB', code: 'M2', label: 'TERMINALE B' },
          ],
          subjectsTaught: [{ structure: 'SB', label: 'PHYSIQUE-B' }],
          specialities: ['PHYS'],
        },
      },
    },
  });
  const item = projectEvent(created, readerA);
  const after = item?.changes.after as Record<string, unknown>;
  t.equal(after.primaryStructure, null, 'a primary structure of B reads null');
  t.same(after.structures, ['SA']);
  t.same(after.details, {
    contact: { city: 'PARIS' },
    staff: { mefs: [{ structure: 'SA', code: 'M1', label: 'SIXIEME' }], specialities: ['PHYS'] },
  });
  t.notMatch(JSON.stringify(item), /SB|TERMINALE B|PHYSIQUE-B|0990002P/);

  const update = event('updated', {
    fields: {
      sn: ['Curie', 'Sklodowska'],
      'details.staff.subjectsTaught': [
        [{ structure: 'SA', label: 'PHYSIQUE' }],
        [
          { structure: 'SA', label: 'PHYSIQUE' },
          { structure: 'SB', label: 'CHIMIE-B' },
        ],
      ],
    },
  });
  const u = projectEvent(update, readerA);
  t.same(u?.changes, { fields: { sn: ['Curie', 'Sklodowska'] } }, 'the foreign subject is gone');
});

t.test('an update that only touched B is not served to A', async (t) => {
  const onlyB = event('updated', {
    fields: {
      structures: [
        ['SA', 'SB'],
        ['SA', 'SB2'],
      ],
      primaryStructure: ['SB', 'SB2'],
      'details.schooling.classEntries': [
        [{ structure: 'SB', date: '2026-09-01', code: '3B' }],
        [{ structure: 'SB2', date: '2026-09-02', code: '3C' }],
      ],
    },
  });
  t.equal(projectEvent(onlyB, readerA), null);
  t.not(projectEvent(onlyB, everything), null, 'but served to an unrestricted reader');
  const outside = event('updated', { fields: { structures: [['SB'], ['SB', 'SB2']] } });
  t.equal(projectEvent(outside, readerA), null, 'a person never in A is not served');
});

t.test('public vs personal audience for a scoped reader', async (t) => {
  const row = event('updated', {
    fields: {
      givenName: ['Jean', 'Jeanne'],
      mail: ['a@x.fr', 'b@x.fr'],
      'details.contact.city': ['AVILLE', 'CVILLE'],
    },
  });
  t.same(projectEvent(row, publicA)?.changes, {
    fields: { givenName: ['Jean', 'Jeanne'] },
    redacted: true,
  });
  t.same(projectEvent(row, readerA)?.changes, row.changes);
  const left = projectEvent(
    event('updated', { fields: { structures: [['SA'], ['SB']] } }),
    publicA,
  );
  t.same(left?.changes, { jointure: 'P1', id: 11, category: 'pupil', structures: ['SA'] });
});

t.test('other entities: uais reduced, changes kept', async (t) => {
  const row: EventRow = {
    ...event('created', { after: { code: 'MATHS' } }, [A, B]),
    entity_type: 'relative_link',
    entity_key: 'R1|P1',
  };
  const item = projectEvent(row, readerA);
  t.same(item?.uais, [A]);
  t.equal(item?.type, 'relative_link.created');
});

t.test('person views: primary structure and details reduced to the reader', async (t) => {
  const row: PersonRow = {
    id: 11,
    jointure: 'P1',
    scope: '-',
    category: 'staff',
    profile: 'teacher',
    level: '2d',
    given_name: 'Marie',
    sn: 'Curie',
    civility: 'Mme',
    primary_structure: 'SB',
    state: 'active',
    departed_at: null,
    version: 3,
    updated_at: new Date('2026-09-01T08:00:00Z'),
    birth_name: null,
    birth_date: null,
    ine: null,
    mail: null,
    details: { staff: { subjectsTaught: [{ structure: 'SB', label: 'CHIMIE-B' }] } },
  };
  const mine = personRowToView(row, readerA);
  t.equal(mine.primaryStructure, null);
  t.same(mine.details, {}, 'a theme emptied by the filter is dropped');
  const all = personRowToView(row, everything);
  t.equal(all.primaryStructure, 'SB');
  t.same(all.details, row.details);
  t.equal(personRowToView(row, publicA).details, undefined, 'public: no details');
  t.same(visibleDetails(readerA, { schooling: { mef: 'X' } }), { schooling: { mef: 'X' } });
});

t.test('feed type filters match projected types', async (t) => {
  t.ok(feedTypeMatches('person.left', [{ entity: 'person' }]));
  t.ok(feedTypeMatches('person.left', [{ entity: 'person', op: 'left' }]));
  t.notOk(feedTypeMatches('person.left', [{ entity: 'person', op: 'updated' }]));
  t.notOk(feedTypeMatches('membership.created', [{ entity: 'person' }]));
  t.ok(feedTypeMatches('membership.created', []));
});

t.test('a pupil who came from B is person.entered for A (record completed per page)', async (t) => {
  const row = event('updated', {
    fields: {
      structures: [['SB'], ['SA']],
      'details.contact.city': ['BVILLE', 'AVILLE'],
    },
  });
  const item = projectEvent(row, readerA);
  t.equal(item?.type, 'person.entered');
  t.same(item?.changes, { jointure: 'P1', id: 11, category: 'pupil', structures: ['SA'] });
  t.notMatch(JSON.stringify(item), /BVILLE|SB|0990002P/);
});

t.test('values equal but for key order are no change', async (t) => {
  const row = event('updated', {
    fields: {
      'details.staff.mefs': [
        [{ code: 'M1', label: 'X', structure: 'SA' }],
        [
          { structure: 'SA', code: 'M1', label: 'X' },
          { structure: 'SB', code: 'M2', label: 'Y' },
        ],
      ],
    },
  });
  t.equal(projectEvent(row, readerA), null);
});
