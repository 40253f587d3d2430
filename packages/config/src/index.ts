export { loadConfig, type Config } from './load-config.js';
export { ENV_VARS, type EnvVar, type EnvVarName } from './env-vars.js';
export { ConfigErrors } from './errors.js';
