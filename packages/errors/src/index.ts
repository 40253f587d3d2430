export { AppError, isAppError } from './app-error.js';
export {
  defineErrors,
  registeredErrors,
  type Catalogue,
  type CatalogueEntry,
  type ErrorFactory,
  type ErrorSpec,
} from './define-errors.js';
