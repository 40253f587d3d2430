import t from 'tap';
import { scribeWorld, seedSchool, UAI_A } from './fixtures.js';

const item = (code: string, kind: 'class' | 'group' = 'class') => ({
  id: `${kind}/${code}`,
  uai: UAI_A,
  kind,
  code,
});

t.test('purgeGroups on slapd: only our groups without members, teams with them', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  t.equal((await w.sync()).failed, 0);
  const dn = (cn: string) => w.groupDn(UAI_A, cn);
  const purge = w.driver.purgeGroups!;

  // 6a has pupils on the target; LATIN is an `Option` group, asked for as a class: not ours.
  t.same(await purge([item('6A'), item('LATIN')]), [
    { id: 'class/6A', outcome: 'kept', reason: '2 member(s) on the target again' },
    {
      id: 'class/LATIN',
      outcome: 'kept',
      reason: `${dn('latin')} is not a Classe group (not ours)`,
    },
  ]);

  // A team left behind without its class (deleted by hand) goes too; nothing there: nothing done.
  await w.admin.modify(dn('latin'), [
    { operation: 'delete', attribute: 'memberUid', values: ['lea.martin'] },
  ]);
  await w.admin.delete(dn('latin'));
  t.same(await purge([item('LATIN', 'group'), item('9Z')]), [
    { id: 'group/LATIN', outcome: 'deleted', removed: [dn('profs-latin')] },
    { id: 'class/9Z', outcome: 'deleted', removed: [] },
  ]);
  t.equal(await w.read(dn('profs-latin')), null);

  // An entry the server refuses to delete (it has a child): a failed result, the rest goes on.
  await w.admin.add(dn('empty'), {
    objectClass: ['top', 'posixGroup', 'testScribeGroupe'],
    cn: ['empty'],
    gidNumber: ['99999'],
    type: ['Classe'],
  });
  await w.admin.add(`cn=child,${dn('empty')}`, {
    objectClass: ['organizationalRole'],
    cn: ['child'],
  });
  const [refused] = await purge([item('EMPTY')]);
  t.match(refused, { id: 'class/EMPTY', outcome: 'failed', error: /LDAP_ERR|refused|66|leaf/i });
  t.ok(await w.read(dn('empty')), 'still there');
  t.equal(w.stats.groupDeletes, 1);
});
