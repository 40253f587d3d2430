import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED, REDACT_PATHS } from './redaction.js';

export type { Logger } from 'pino';

export interface LoggerSettings {
  readonly level: string;
  /** true/false forces the format; undefined = pretty only when the written fd is a TTY. */
  readonly pretty?: boolean | undefined;
  readonly name?: string;
  /** File descriptor to write to: 1 (stdout, default) or 2 (stderr, for CLIs whose stdout is data). */
  readonly fd?: 1 | 2;
}

/**
 * pino options shared by every logger of the project (also given to fastify). Pretty by default
 * only when the descriptor the lines go to is a terminal: a CLI logging to stderr writes JSON to
 * `2>file` even on a terminal, and pretty lines to the terminal under `--json | jq`. `isTty`
 * answers for a descriptor (tests pass their own).
 */
export function loggerOptions(
  settings: LoggerSettings,
  isTty: (fd: number) => boolean = isatty,
): LoggerOptions {
  const pretty = settings.pretty ?? isTty(settings.fd ?? 1);
  return {
    level: settings.level,
    ...(settings.name ? { name: settings.name } : {}),
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              colorize: true,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname',
              destination: settings.fd ?? 1,
            },
          },
        }
      : {}),
  };
}

/**
 * The one logger factory: JSON lines by default, pretty when writing to a TTY, secrets redacted.
 * Pass `destination` to capture lines (tests use a sink stream).
 *
 * @example
 * const log = createLogger({ level: config.log.level, name: 'ingester' });
 * log.info({ importId }, 'import applied');
 */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options = loggerOptions(destination ? { ...settings, pretty: false } : settings);
  if (destination) return pino(options, destination);
  if (options.transport) return pino(options);
  return pino(options, pino.destination({ fd: settings.fd ?? 1, sync: false }));
}
