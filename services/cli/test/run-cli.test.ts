import { PassThrough } from 'node:stream';
import t from 'tap';
import { runCli } from '../src/index.js';

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

t.test('help lists the commands', async (t) => {
  const out = capture();
  t.equal(await runCli([], { stdout: out.stream }), 0);
  t.match(out.text(), /usage: pnpm aaf-sync <command>/);
  for (const name of ['migrate', 'serve', 'keys', 'purge-events']) t.match(out.text(), name);
});

t.test('<command> --help prints the command usage and exits 0 for every command', async (t) => {
  const { COMMANDS } = await import('../src/commands/index.js');
  t.ok(COMMANDS.length >= 19, 'every command of the registry');
  for (const { name } of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const out = capture();
      const err = capture();
      t.equal(await runCli([name, flag], { stdout: out.stream, stderr: err.stream }), 0, name);
      t.match(out.text(), `aaf-sync ${name}`, `${name} ${flag} prints its usage`);
      t.equal(err.text(), '', `${name} ${flag} prints no error`);
    }
  }
  // A sub-command's --help too (before or after its arguments), never a usage error.
  for (const args of [
    ['targets', 'add', '--help'],
    ['keys', 'create', '--help'],
    ['calendar', 'simulate', '-h'],
    ['campaign', 'preview', '--help'],
    ['koxo', 'readback', '--help'],
    ['ingest', 'x.xml', '--json', '--help'],
  ]) {
    const out = capture();
    t.equal(await runCli(args, { stdout: out.stream }), 0, args.join(' '));
    t.match(out.text(), `aaf-sync ${args[0]}`);
  }
});

t.test('an unknown command is a usage error with its code, exit 2', async (t) => {
  const err = capture();
  t.equal(await runCli(['frobnicate'], { stderr: err.stream }), 2);
  t.match(err.text(), /CLI_ERR_USAGE: unknown command "frobnicate"/);
});

t.test('a bad configuration names the variable, exit 1', async (t) => {
  const err = capture();
  t.equal(await runCli(['migrate'], { env: { PORT: 'x' }, stderr: err.stream }), 1);
  t.match(err.text(), /CONFIG_ERR_INVALID: .*PORT/);
});

t.test('ingest: an unknown option is a usage error, exit 2', async (t) => {
  const err = capture();
  t.equal(await runCli(['ingest', '--bogus', 'x.xml'], { stderr: err.stream }), 2);
  t.match(err.text(), /CLI_ERR_USAGE: .*--bogus/);
});

t.test('ingest --json: one JSON document on stdout also when nothing can be read', async (t) => {
  for (const [args, code, exit] of [
    [['/nonexistent/ENT_TEST_Complet_20240907_Eleve_0000.xml'], 'AAF_ERR_BAD_PATH', 2],
    [[], 'CLI_ERR_USAGE', 2],
  ] as const) {
    const out = capture();
    const err = capture();
    t.equal(
      await runCli(['ingest', '--json', ...args], { stdout: out.stream, stderr: err.stream }),
      exit,
    );
    const doc = JSON.parse(out.text()) as { error: { code: string }; imports: unknown[] };
    t.equal(doc.error.code, code);
    t.same(doc.imports, []);
    t.match(err.text(), `error ${code}`, 'and the error on stderr');
  }
});

t.test(
  'ingest: a progress line quiets info logs, keeps a level chosen lower or higher',
  async (t) => {
    const { quietLevel } = await import('../src/progress.js');
    t.equal(quietLevel('info'), 'warn', 'the default level is quieted');
    t.equal(quietLevel('debug'), 'debug', 'an operator asking for debug keeps it');
    t.equal(quietLevel('error'), 'error');
  },
);
