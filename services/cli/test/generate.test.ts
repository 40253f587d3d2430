import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { runCli } from '../src/index.js';

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

const env = { LOG_LEVEL: 'silent' };

t.test('generate writes a delivery and its manifest', async (t) => {
  const out = t.testdir({});
  const stdout = capture();
  const code = await runCli(
    [
      'generate',
      '--out',
      out,
      '--seed',
      '4',
      '--persons',
      '400',
      '--deltas',
      '1',
      '--level',
      'both',
      '--archive',
      '--json',
    ],
    { env, stdout: stdout.stream },
  );
  t.equal(code, 0);
  const summary = JSON.parse(stdout.text()) as {
    deliveries: number;
    files: number;
    manifest: string;
  };
  t.equal(summary.deliveries, 4, 'a Complet and a Delta per level');
  const manifest = JSON.parse(readFileSync(summary.manifest, 'utf8')) as {
    seed: number;
    options: { level: string };
  };
  t.equal(manifest.seed, 4);
  t.equal(manifest.options.level, 'both');
  t.ok(existsSync(join(out, '2d', 'ENT_TEST_Complet_20240907_Eleve_0000.xml')));
  t.ok(existsSync(join(out, '1d', 'ENT1D.20240909.Delta.tgz')));
});

t.test('bad options are usage errors naming the option, exit 2', async (t) => {
  const err = capture();
  t.equal(
    await runCli(['generate', '--out', t.testdir({}), '--seed', '1', '--persons', '10'], {
      env,
      stderr: err.stream,
    }),
    2,
  );
  t.match(err.text(), /GEN_ERR_INVALID_OPTIONS: .*persons/);
  const err2 = capture();
  t.equal(await runCli(['generate', '--frobnicate'], { env, stderr: err2.stream }), 2);
  t.match(err2.text(), /CLI_ERR_USAGE: .*frobnicate/);
  const err3 = capture();
  t.equal(await runCli(['generate', '--seed', 'abc'], { env, stderr: err3.stream }), 2);
  t.match(err3.text(), /CLI_ERR_USAGE: --seed expects a whole number/);
});

t.test('help generate shows the options', async (t) => {
  const out = capture();
  t.equal(await runCli(['help', 'generate'], { stdout: out.stream }), 0);
  t.match(out.text(), /--chunk-size/);
});
