import { writeFileSync } from 'node:fs';
import { ERROR_DOCS_PATH, loadCatalogue, renderErrorDocs } from './error-catalogue.js';

const entries = await loadCatalogue();
writeFileSync(ERROR_DOCS_PATH, renderErrorDocs(entries));
console.log(`docs/errors.md: ${entries.length} codes`);
