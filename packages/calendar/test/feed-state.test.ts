import t from 'tap';
import { feedState, parseCalendarDocument } from '../src/index.js';
import { example, exampleJson, paris } from './example.js';

const doc = example();

t.test(
  'the directory: open, off for the summer, waiting, open with the initialisation',
  async (t) => {
    const dir = { kind: 'directory' } as const;
    const applied = paris('2025-08-21T03:00');
    t.equal(feedState(doc, dir, paris('2025-07-03T23:59')).state, 'open');
    const off = feedState(doc, dir, paris('2025-07-04'));
    t.equal(off.state, 'off');
    t.same(off.until, paris('2025-08-20'));
    t.equal(
      feedState(doc, dir, paris('2025-08-20T12:00'), { initialisationAppliedAt: applied }).state,
      'waiting-initialisation',
      'resumption date passed, initialisation not applied yet',
    );
    const open = feedState(doc, dir, paris('2025-08-21T04:00'), {
      initialisationAppliedAt: applied,
    });
    t.equal(open.state, 'open');
    t.same(open.since, applied);
    t.equal(
      feedState(doc, dir, paris('2025-10-01')).state,
      'waiting-initialisation',
      'an establishment whose initialisation never came stays waiting',
    );
  },
);

t.test('targets resume on their own dates; a named target overrides its kind', async (t) => {
  const applied = { initialisationAppliedAt: paris('2025-08-21T03:00') };
  const at = paris('2025-08-25');
  t.equal(feedState(doc, { kind: 'ent' }, at, applied).state, 'open', 'ENT since 20 August');
  t.equal(feedState(doc, { kind: 'scribe' }, at, applied).state, 'off', 'Scribe on 29 August');
  t.equal(feedState(doc, { kind: 'scribe' }, paris('2025-08-29'), applied).state, 'open');
  const json = exampleJson();
  json.feed.targets.byTarget['scribe-lyc'] = { kind: 'scribe', resumeOn: '2025-09-03' };
  const withOverride = parseCalendarDocument(json);
  const named = feedState(
    withOverride,
    { kind: 'scribe', name: 'scribe-lyc' },
    paris('2025-09-01'),
    applied,
  );
  t.equal(named.state, 'off');
  t.equal(named.window.source, 'target:scribe-lyc');
  t.equal(named.window.suspendFrom, '2025-07-04', 'unset fields come from the kind or default');
  t.equal(
    feedState(withOverride, { kind: 'scribe', name: 'other' }, paris('2025-09-01'), applied).state,
    'open',
  );
});
