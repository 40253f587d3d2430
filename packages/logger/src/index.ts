export { createLogger, loggerOptions, type Logger, type LoggerSettings } from './create-logger.js';
export { REDACTED, REDACT_PATHS, redactUrl } from './redaction.js';
