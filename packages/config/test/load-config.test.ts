import t from 'tap';
import { ConfigErrors, ENV_VARS, loadConfig } from '../src/index.js';

t.test('defaults give a working local configuration', async (t) => {
  const config = loadConfig({});
  t.equal(config.database.url, 'postgres://postgres@127.0.0.1:5432/aaf_sync');
  t.equal(config.api.port, 3000);
  t.equal(config.ingest.holdThresholdPercent, 10);
  t.equal(config.ingest.keepUnlinkedRelatives, true);
  t.same(config.identifiers.namespaces, ['educonnect', 'scribe', 'koxo']);
  t.equal(config.log.pretty, undefined);
});

t.test('values are parsed and typed', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    LOG_PRETTY: 'false',
    IMPORT_KEEP_UNLINKED_RELATIVES: 'no',
    IDENTIFIER_NAMESPACES: 'scribe',
  });
  t.equal(config.api.port, 8080);
  t.equal(config.log.pretty, false);
  t.equal(config.ingest.keepUnlinkedRelatives, false);
  t.same(config.identifiers.namespaces, ['scribe']);
});

t.test('the result is deeply frozen', async (t) => {
  const config = loadConfig({});
  t.ok(Object.isFrozen(config));
  t.ok(Object.isFrozen(config.database));
  t.ok(Object.isFrozen(config.identifiers.namespaces));
  t.throws(() => {
    (config.database as { url: string }).url = 'x';
  });
});

t.test('one error names every bad variable and never prints a secret', async (t) => {
  let caught: unknown;
  try {
    loadConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      LOG_LEVEL: 'loud',
    });
  } catch (err) {
    caught = err;
  }
  t.ok(ConfigErrors.INVALID.is(caught));
  const message = (caught as Error).message;
  t.match(message, /PORT/);
  t.match(message, /DATABASE_URL/);
  t.match(message, /LOG_LEVEL: .*\(got "loud"\)/);
  t.notMatch(message, /hunter2/);
});

t.test('every variable documents itself', async (t) => {
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    t.ok(spec.description.length > 10, `${name} has a description`);
  }
});
