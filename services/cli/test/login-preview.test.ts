import { PassThrough } from 'node:stream';
import t from 'tap';
import { runCli } from '../src/index.js';

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function preview(argv: string[], env: Record<string, string> = {}) {
  const out = capture();
  const err = capture();
  const code = await runCli(['login-preview', ...argv], {
    env: { LOG_LEVEL: 'silent', ...env },
    stdout: out.stream,
    stderr: err.stream,
  });
  return { code, out: out.text(), err: err.text() };
}

t.test('--offline prints the bare form of every configured namespace', async (t) => {
  const { code, out } = await preview(['Jean-Pierre', "D'Arc", '--offline']);
  t.equal(code, 0);
  t.match(out, /database skipped; numbering unknown/);
  t.match(out, /educonnect\s+j\.darc\s+\(bare form; homonym number unknown\)/);
  t.match(out, /scribe\s+jdarc\s/);
  t.match(out, /koxo\s+jdarc\s/);
});

t.test('--json and --namespace: a machine-readable report', async (t) => {
  const { code, out } = await preview([
    'Ольга',
    'Петрова',
    '--offline',
    '--json',
    '--namespace',
    'koxo',
    '--namespace',
    'educonnect',
  ]);
  t.equal(code, 0);
  t.same(JSON.parse(out), {
    givenName: 'Ольга',
    sn: 'Петрова',
    database: 'skipped',
    identifiers: [
      { namespace: 'koxo', value: 'opetrova', base: 'opetrova', homonyms: null },
      { namespace: 'educonnect', value: 'o.petrova', base: 'o.petrova', homonyms: null },
    ],
  });
});

t.test('an unreachable database gives the bare form and the reason', async (t) => {
  const { code, out } = await preview(['Jean', 'Martin', '--json'], {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
  });
  t.equal(code, 0);
  const report = JSON.parse(out) as { database: string; reason: string; identifiers: unknown[] };
  t.equal(report.database, 'unavailable');
  t.match(report.reason, /ECONNREFUSED/);
  t.match(report.identifiers, [{ namespace: 'educonnect', value: 'j.martin', homonyms: null }]);
});

t.test('usage errors exit 2 with the code', async (t) => {
  const missing = await preview(['Jean']);
  t.equal(missing.code, 2);
  t.match(missing.err, /CLI_ERR_USAGE: expected exactly two arguments/);
  const unknownOption = await preview(['Jean', 'Martin', '--frobnicate']);
  t.equal(unknownOption.code, 2);
  const unknownNamespace = await preview(['Jean', 'Martin', '--offline', '--namespace', 'ent']);
  t.equal(unknownNamespace.code, 2);
  t.match(unknownNamespace.err, /IDENTIFIERS_ERR_UNKNOWN_NAMESPACE: .*"ent"/);
});
