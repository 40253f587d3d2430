import t from 'tap';
import { entryChanges, entryForAdd } from '../src/index.js';

t.test(
  'force replaces or deletes, keep writes when absent, merge adds; others untouched',
  async (t) => {
    const policy = {
      sn: 'force',
      shadowExpire: 'force',
      mail: 'keep',
      homeDirectory: 'keep',
      objectClass: 'merge',
    } as const;
    const held = {
      sn: ['Hacked'],
      shadowexpire: ['1'],
      mail: ['set.by@admin'],
      objectclass: ['top', 'inetorgperson', 'sambaSamAccount'],
      description: ['local'],
    };
    const desired = {
      sn: 'Martin',
      mail: 'from@aaf',
      homeDirectory: '/home/l/lea',
      objectClass: ['top', 'inetOrgPerson', 'posixAccount'],
      description: 'ours? no: not in the policy',
      '@groups': ['x'],
    };
    t.same(entryChanges(held, desired, policy), [
      { operation: 'replace', attribute: 'sn', values: ['Martin'] },
      { operation: 'replace', attribute: 'shadowExpire', values: [] },
      { operation: 'replace', attribute: 'homeDirectory', values: ['/home/l/lea'] },
      { operation: 'add', attribute: 'objectClass', values: ['posixAccount'] },
    ]);
    t.same(
      entryChanges(
        held,
        desired,
        policy,
        new Set(['sn', 'shadowexpire', 'homedirectory', 'objectclass']),
      ),
      [],
    );
    t.same(
      entryChanges(
        { sn: ['Martin'], objectclass: ['posixAccount', 'top', 'inetOrgPerson'] },
        { sn: 'Martin', objectClass: ['top', 'inetOrgPerson', 'posixAccount'] },
        { sn: 'force', objectClass: 'merge' },
      ),
      [],
      'in sync: no change',
    );
    t.same(
      entryForAdd(desired),
      {
        sn: ['Martin'],
        mail: ['from@aaf'],
        homeDirectory: ['/home/l/lea'],
        objectClass: ['top', 'inetOrgPerson', 'posixAccount'],
        description: ['ours? no: not in the policy'],
      },
      'an add writes every LDAP attribute, never the @ keys',
    );
  },
);
