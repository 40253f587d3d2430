/**
 * Paths pino censors in every log line. Secrets never reach a log: API keys, passwords, tokens,
 * webhook secrets, connection URLs with credentials, and the auth headers of API requests.
 * Personal data is not logged by design (log ids, not records); these paths are the safety net.
 */
export const REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  'bindPassword',
  '*.bindPassword',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'signingSecret',
  '*.signingSecret',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'key',
  '*.key',
  'authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'url',
  '*.url',
  'databaseUrl',
  'redisUrl',
];

export const REDACTED = '[redacted]';

/** Removes the user-info part of a URL (for messages where a URL must appear). */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password || u.username) {
      u.password = u.password ? 'xxx' : '';
      return u.toString();
    }
    return value;
  } catch {
    return REDACTED;
  }
}
