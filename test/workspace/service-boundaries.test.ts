// Services are thin entry points over packages: no package and no service imports a service
// (its package name, a subpath, or a relative path into its folder) or lists one in its
// package.json. End-to-end tests (test/) may start or import any of them.
import { resolve } from 'node:path';
import t from 'tap';
import { serviceCrossings, workspaceUnits, type Crossing } from './service-imports.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * The crossings still to remove, each with where its logic should go. The list only shrinks:
 * a crossing that no longer exists fails the test too, so that it is taken off.
 */
const KNOWN: ReadonlyArray<{ from: string; to: string; why: string }> = [
  {
    from: 'services/cli',
    to: 'services/api',
    why: '`serve` and its keys test run startServer: the app belongs in a package',
  },
];

const pairs = (crossings: readonly Pick<Crossing, 'from' | 'to'>[]) =>
  [...new Set(crossings.map((c) => `${c.from} -> ${c.to}`))].sort();

t.test('no package or service imports a service, beyond the known crossings', async (t) => {
  const crossings = serviceCrossings(root);
  const known = new Set(pairs(KNOWN));
  const found = pairs(crossings);
  t.same(
    crossings.filter((c) => !known.has(`${c.from} -> ${c.to}`)),
    [],
    'move what a service needs from another into a package both wire',
  );
  t.same(
    pairs(KNOWN).filter((p) => !found.includes(p)),
    [],
    'a known crossing that is gone is taken off the list',
  );
});

t.test('the ingester is wired by its service and the CLI from packages/ingester', async (t) => {
  const units = workspaceUnits(root);
  t.match(
    units.find((u) => u.folder === 'packages/ingester'),
    { name: '@aaf-sync/ingester' },
  );
  t.match(
    units.find((u) => u.folder === 'services/ingester'),
    { kind: 'service' },
  );
  t.same(
    serviceCrossings(root).filter(
      (c) => c.to === 'services/ingester' || c.from === 'services/ingester',
    ),
    [],
  );
});

t.test('every way of reaching another service is found', async (t) => {
  const pkg = (name: string, deps: Record<string, string> = {}) =>
    JSON.stringify({ name, dependencies: deps });
  const dir = t.testdir({
    packages: {
      core: {
        'package.json': pkg('@x/core'),
        src: { 'index.ts': "export { run } from '@x/worker-service/run';\n" },
      },
    },
    services: {
      cli: {
        'package.json': pkg('@x/cli', { '@x/api': 'workspace:*', '@x/core': 'workspace:*' }),
        src: {
          'serve.ts': "import { start } from '@x/api';\nimport { core } from '@x/core';\n",
          'watch.ts': "const m = await import('../../worker/src/run.js');\n",
          'types.ts': "import type { Job } from '../../worker/src/job.js';\n",
          'own.ts': "import { x } from './serve.js';\n// import { y } from '@x/api';\n",
        },
        dist: { 'serve.js': "import { start } from '@x/worker-service';\n" },
      },
      api: { 'package.json': pkg('@x/api'), src: { 'index.ts': "export * from './app.js';\n" } },
      worker: {
        'package.json': pkg('@x/worker-service'),
        src: { 'run.ts': "export { job } from './job.js';\n" },
      },
    },
  });
  t.same(
    serviceCrossings(dir).map((c) => `${c.from} -> ${c.to} by ${c.via}`),
    [
      "packages/core -> services/worker by packages/core/src/index.ts '@x/worker-service/run'",
      'services/cli -> services/api by package.json dependencies',
      "services/cli -> services/api by services/cli/src/serve.ts '@x/api'",
      "services/cli -> services/worker by services/cli/src/types.ts '../../worker/src/job.js'",
      "services/cli -> services/worker by services/cli/src/watch.ts '../../worker/src/run.js'",
    ],
  );
});
