export { buildApp, type AppDeps } from './app.js';
export { startServer, type RunningServer, type StartServerOptions } from './server.js';
export { renderOpenApi } from './openapi.js';
export { ApiErrors } from './errors.js';
export type { Principal } from './auth/principal.js';
export type {
  IdentifierPreview,
  IdentifierPreviewInput,
  IdentifierService,
  ImportEnqueuer,
} from './services.js';
export { queueEnqueuer } from './import-enqueuer.js';
