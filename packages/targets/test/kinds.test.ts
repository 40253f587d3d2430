import t from 'tap';
import {
  createSecretBox,
  KIND_SCHEMAS,
  secretKeyId,
  TARGET_KINDS,
  TargetDefinition,
} from '../src/index.js';

const examples = {
  noop: { options: {}, secrets: { token: 't' } },
  scribe: {
    options: {
      url: 'ldap://scribe.example:389',
      baseDn: 'o=gouv,c=fr',
      bindDn: 'cn=a,o=gouv,c=fr',
    },
    secrets: { bindPassword: 'p' },
  },
  koxo: {
    options: {
      exportDir: '/var/koxo',
      readBack: { url: 'ldaps://ad.example', baseDn: 'dc=ac,dc=fr', bindDn: 'cn=a,dc=ac,dc=fr' },
    },
    secrets: { bindPassword: 'p' },
  },
  ad: {
    options: { url: 'ldaps://ad.example', baseDn: 'dc=ac,dc=fr', bindDn: 'cn=a,dc=ac,dc=fr' },
    secrets: { bindPassword: 'p' },
  },
  webhook: {
    options: { url: 'https://ent.example/hooks' },
    secrets: { signingSecret: 'whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0dXY=' },
  },
} as const;

t.test('every kind is declared once, with a valid example and strict schemas', async (t) => {
  t.same(TARGET_KINDS, Object.keys(examples));
  for (const kind of TARGET_KINDS) {
    const def = { kind, name: `${kind}-1`, uais: ['0750001A', '0750001A'], ...examples[kind] };
    const parsed = TargetDefinition.safeParse(def);
    t.ok(parsed.success, `${kind}: valid`);
    t.same(parsed.data?.uais, ['0750001A'], `${kind}: UAIs deduplicated`);
    t.notOk(
      KIND_SCHEMAS[kind].options.safeParse({ ...examples[kind].options, extra: 1 }).success,
      `${kind}: unknown option refused`,
    );
    t.notOk(
      KIND_SCHEMAS[kind].secrets.safeParse({ ...examples[kind].secrets, extra: 'x' }).success,
      `${kind}: unknown secret refused`,
    );
  }
  t.notOk(
    TargetDefinition.safeParse({ kind: 'scribe', name: 'x', uais: ['0750001A'], ...examples.noop })
      .success,
    'options of another kind refused',
  );
});

t.test(
  'the secret box seals with a fresh iv and opens with the key named in the ciphertext',
  async (t) => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const box = createSecretBox(key);
    t.equal(box.keyId, secretKeyId(Buffer.alloc(32, 1)));
    t.match(box.keyId, /^[0-9a-f]{12}$/);
    const a = box.seal({ bindPassword: 'p' }, 'scribe');
    const b = box.seal({ bindPassword: 'p' }, 'scribe');
    t.not(a.ciphertext.toString('hex'), b.ciphertext.toString('hex'), 'a new iv each time');
    t.notOk(a.ciphertext.includes('bindPassword'), 'nothing in clear');
    t.same(box.open(a, 'scribe', 'x'), { bindPassword: 'p' });
    t.throws(() => box.open(a, 'koxo', 'x'), { code: 'TARGETS_ERR_SECRETS_UNREADABLE' });
    t.throws(() => createSecretBox(Buffer.alloc(16).toString('base64')), TypeError);
  },
);
