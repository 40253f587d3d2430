// There is no Docker engine on our machines: these checks keep docker/ consistent with the code.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { ENV_VARS } from '@aaf-sync/config';

const root = resolve(import.meta.dirname, '../..');
const dockerDir = join(root, 'docker');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  packageManager: string;
};

t.test('the compose file sets only variables that packages/config reads', async (t) => {
  const compose = readFileSync(join(dockerDir, 'compose.yaml'), 'utf8');
  const env = compose.slice(compose.indexOf('x-env:'), compose.indexOf('services:'));
  const names = [...env.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]!);
  t.ok(names.length >= 5);
  for (const name of names) t.ok(name in ENV_VARS, `${name} is a known variable`);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'AAF_INBOX_DIR'])
    t.ok(names.includes(name), `${name} is set`);
});

t.test('each Dockerfile builds on Node 24 with the pinned pnpm and runs as non-root', async (t) => {
  const files = readdirSync(dockerDir).filter((f) => f.endsWith('.Dockerfile'));
  t.same(files.sort(), [
    'api.Dockerfile',
    'cli.Dockerfile',
    'ingester.Dockerfile',
    'scheduler.Dockerfile',
    'targets.Dockerfile',
  ]);
  for (const f of files) {
    const text = readFileSync(join(dockerDir, f), 'utf8');
    t.match(text, /^FROM node:24-/m, `${f}: Node 24`);
    t.ok(text.includes(pkg.packageManager), `${f}: ${pkg.packageManager}`);
    t.match(text, /^USER node$/m, `${f}: non-root`);
    t.ok((text.match(/^FROM /gm) ?? []).length >= 2, `${f}: multi-stage`);
  }
});

t.test('the engine runs with one heap cap everywhere it is started', async (t) => {
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const flags = /--max-old-space-size=\d+ --max-semi-space-size=\d+/.exec(
    scripts['aaf-sync']!,
  )?.[0];
  t.ok(flags, 'package.json aaf-sync sets the caps');
  const [oldSpace, semiSpace] = flags!.split(' ');
  t.ok(scripts.migrate!.includes(flags!), 'package.json migrate');
  const demo = readFileSync(join(root, 'scripts/demo'), 'utf8');
  t.ok(demo.includes(`node_args=(${flags})`), 'scripts/demo');
  const bench = readFileSync(join(root, 'bench/ingest.bench.ts'), 'utf8');
  t.ok(bench.includes(`'${oldSpace}'`) && bench.includes(`'${semiSpace}'`), 'bench:ingest');
  for (const f of readdirSync(dockerDir).filter((n) => n.endsWith('.Dockerfile')))
    t.ok(readFileSync(join(dockerDir, f), 'utf8').includes(`ENV NODE_OPTIONS="${flags}"`), f);
});
