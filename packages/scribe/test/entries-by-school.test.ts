import t from 'tap';
import { entriesBySchool } from '../src/entries-by-school.js';

t.test(
  'entries of one base search are sorted by the school container they lie under',
  async (t) => {
    const base = 'ou=ac-test,ou=education,o=gouv,c=fr';
    const users = (uai: string) => `ou=utilisateurs,ou=${uai},${base}`;
    const containers = new Map([
      [users('0750001A'), '0750001A'],
      [users('0750002B'), '0750002B'],
    ]);
    const entry = (dn: string) => ({ dn, attributes: {} });
    const sorted = entriesBySchool(
      [
        entry(`uid=a,ou=local,ou=eleves,${users('0750001A')}`),
        // Case and spaces after commas as another tool may have written them.
        entry(`uid=b, OU=Local, ou=eleves, OU=Utilisateurs, ou=0750002B, ${base}`),
        entry(`uid=c,ou=local,ou=personnels,${users('0750002B')}`),
        // A school the caller did not ask for, and an entry outside the users OU.
        entry(`uid=d,ou=local,ou=eleves,${users('0750003C')}`),
        entry(`uid=e,ou=local,ou=groupes,ou=0750001A,${base}`),
        // An escaped comma in a value is not an RDN boundary.
        entry(`uid=f\\,g,ou=local,ou=eleves,${users('0750001A')}`),
      ],
      containers,
    );
    t.same(Object.fromEntries([...sorted].map(([u, es]) => [u, es.map((e) => e.dn.slice(0, 6))])), {
      '0750001A': ['uid=a,', 'uid=f\\'],
      '0750002B': ['uid=b,', 'uid=c,'],
    });
  },
);
