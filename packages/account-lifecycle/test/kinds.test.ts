import { CAMPAIGN_KINDS, PROFILES as CALENDAR_PROFILES } from '@aaf-sync/calendar';
import { CAMPAIGN_KIND_VALUES, PROFILES } from '@aaf-sync/db';
import t from 'tap';
import { blockingEffects, campaignEffects } from '../src/index.js';

t.test('the value lists of the schema follow the calendar', async (t) => {
  t.same([...CAMPAIGN_KIND_VALUES], [...CAMPAIGN_KINDS], 'campaign.kind');
  t.same([...PROFILES], [...CALENDAR_PROFILES], 'access_block.profile');
});

t.test('the registries cover the transition types of the contract', async (t) => {
  t.same(Object.keys(blockingEffects).sort(), [
    'blocking.end',
    'blocking.notices-resume',
    'blocking.start',
  ]);
  t.same(Object.keys(campaignEffects).sort(), ['campaign.preview', 'campaign.run']);
});
