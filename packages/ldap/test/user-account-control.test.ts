import t from 'tap';
import { UAC, accountEnabled, parseUserAccountControl } from '../src/index.js';

t.test('userAccountControl: enabled unless ACCOUNTDISABLE', (t) => {
  t.equal(accountEnabled('512'), true, 'normal account');
  t.equal(accountEnabled('514'), false, 'normal, disabled');
  t.equal(accountEnabled('66048'), true, 'KoXo orphan before it is disabled');
  t.equal(accountEnabled('66050'), false, 'and after (SyncDoNotDeleteUsers=1)');
  t.equal(accountEnabled('544'), true, 'PASSWD_NOTREQD');
  t.equal(accountEnabled(undefined), null, 'absent');
  t.equal(accountEnabled('x'), null, 'not a number');
  t.equal(parseUserAccountControl('-2147483134'), 0x8000_0202, 'a signed value keeps its bits');
  t.equal(parseUserAccountControl(' 514 ')! & UAC.ACCOUNTDISABLE, UAC.ACCOUNTDISABLE);
  t.end();
});
