import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  ERROR_DOCS_PATH,
  catalogueFiles,
  loadCatalogue,
  renderErrorDocs,
} from '../../scripts/error-catalogue.js';

t.test('every error code is documented in docs/errors.md (run pnpm errors:docs)', async (t) => {
  t.ok(catalogueFiles().length >= 3, 'catalogues are found');
  const entries = await loadCatalogue();
  const committed = readFileSync(ERROR_DOCS_PATH, 'utf8');
  for (const e of entries) t.ok(committed.includes(`\`${e.code}\``), `${e.code} is documented`);
  t.equal(committed, renderErrorDocs(entries), 'docs/errors.md matches the code');
});

t.test('codes follow <PKG>_ERR_<WHAT> and have a real description', async (t) => {
  for (const e of await loadCatalogue()) {
    t.match(e.code, /^[A-Z][A-Z0-9]*_ERR_[A-Z][A-Z0-9_]*$/, e.code);
    t.ok(e.description.length >= 30, `${e.code} explains itself`);
    t.ok(e.status >= 400 && e.status <= 599, `${e.code} has an HTTP status`);
  }
});
