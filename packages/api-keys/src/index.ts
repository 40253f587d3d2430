export {
  authenticate,
  createApiKey,
  listApiKeyInfos,
  revokeApiKeyById,
  type ApiKeyInfo,
  type ApiKeyPrincipal,
  type CreateApiKeyInput,
} from './admin.js';
export {
  generateApiKey,
  hashSecret,
  parseApiKey,
  secretMatches,
  KEY_PREFIX,
  type GeneratedKey,
} from './token.js';
export { SCOPES, PERSONAL_SCOPES, isApiScope, type ApiScope } from './scopes.js';
export { KeysErrors } from './errors.js';
