import { readFileSync } from 'node:fs';
import t from 'tap';
import { README_PATH, readmeConfigSection, renderConfigTable } from '../../scripts/config-docs.js';

const readme = readFileSync(README_PATH, 'utf8');

t.test(
  'the README configuration table matches packages/config (run pnpm config:docs)',
  async (t) => {
    t.equal(readmeConfigSection(readme), renderConfigTable());
  },
);

t.test('the README starts with exactly the two set-up commands', async (t) => {
  const commands = readme
    .split('\n')
    .slice(0, 20)
    .filter((l) => l.startsWith('scripts/'))
    .map((l) => l.split(/\s+/)[0]);
  t.same(commands, ['scripts/demo', 'scripts/test']);
});
