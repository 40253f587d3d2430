import { parseArgs } from 'node:util';
import { createDb } from '@aaf-sync/db';
import { isAppError } from '@aaf-sync/errors';
import {
  identifierBase,
  namespaceRules,
  previewIdentifier,
  type NamespaceRule,
} from '@aaf-sync/identifiers';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';

interface PreviewLine {
  readonly namespace: string;
  readonly value: string;
  readonly base: string;
  /** Values already handed out from this base; null when the database was not read. */
  readonly homonyms: number | null;
}

interface PreviewReport {
  readonly givenName: string;
  readonly sn: string;
  /** `read`: numbers are exact; `unavailable` / `skipped`: bare forms only. */
  readonly database: 'read' | 'unavailable' | 'skipped';
  readonly reason?: string;
  readonly identifiers: readonly PreviewLine[];
}

const USAGE = `aaf-sync login-preview "<givenName>" "<sn>" [--namespace <ns>]... [--json] [--offline]

Shows the identifier a person with these names would get now in each namespace (the configured
IDENTIFIER_NAMESPACES by default), without allocating anything. Reads the homonym counters of
DATABASE_URL; when the database cannot be reached (or with --offline) it prints the bare form
and says that the homonym number is unknown.

  --namespace <ns>  only this namespace (repeatable): educonnect, scribe, koxo
  --json            print a JSON report on stdout
  --offline         do not connect to the database`;

function parse(argv: readonly string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        namespace: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2) {
      throw new Error('expected exactly two arguments: "<givenName>" "<sn>"');
    }
    const [givenName, sn] = positionals as [string, string];
    return { givenName, sn, ...values };
  } catch (err) {
    throw CliErrors.USAGE({ problem: `${(err as Error).message}\n\nusage: ${USAGE}` });
  }
}

/** Bare forms only: what can be said without the counters. */
function offlineLines(rules: readonly NamespaceRule[], givenName: string, sn: string) {
  return rules.map((rule) => {
    const base = identifierBase(rule, givenName, sn);
    return { namespace: rule.name, value: base, base, homonyms: null };
  });
}

async function onlineLines(
  url: string,
  rules: readonly NamespaceRule[],
  givenName: string,
  sn: string,
): Promise<PreviewLine[]> {
  const handle = createDb({ url, poolMax: 1, applicationName: 'aaf-sync-cli' });
  try {
    const lines: PreviewLine[] = [];
    for (const rule of rules) {
      lines.push({
        namespace: rule.name,
        ...(await previewIdentifier(handle.db, rule, givenName, sn)),
      });
    }
    return lines;
  } finally {
    await handle.close();
  }
}

function render(report: PreviewReport): string {
  const width = Math.max(...report.identifiers.map((l) => l.namespace.length));
  const valueWidth = Math.max(...report.identifiers.map((l) => l.value.length));
  const lines = report.identifiers.map((l) => {
    const note =
      l.homonyms === null
        ? 'bare form; homonym number unknown'
        : l.homonyms === 0
          ? 'first holder of this base'
          : `${l.homonyms} value(s) already handed out from ${l.base}`;
    return `  ${l.namespace.padEnd(width)}  ${l.value.padEnd(valueWidth)}  (${note})`;
  });
  const header =
    report.database === 'read'
      ? `${report.givenName} ${report.sn}:`
      : `${report.givenName} ${report.sn} (database ${report.database}${
          report.reason ? `: ${report.reason}` : ''
        }; numbering unknown):`;
  return `${[header, ...lines].join('\n')}\n`;
}

/** A short reason for an unreachable database (AggregateErrors of dual-stack hosts have no message). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return err.message || (typeof code === 'string' ? code : 'connection failed');
}

export const loginPreviewCommand: Command = {
  name: 'login-preview',
  summary: 'show the login a person with these names would get (nothing is allocated)',
  usage: USAGE,
  async run({ config, log, argv, stdout }) {
    const args = parse(argv);
    const rules = namespaceRules({
      namespaces: args.namespace ?? config.identifiers.namespaces,
      numberStart: config.identifiers.numberStart,
    });
    let report: PreviewReport;
    if (args.offline) {
      const identifiers = offlineLines(rules, args.givenName, args.sn);
      report = { givenName: args.givenName, sn: args.sn, database: 'skipped', identifiers };
    } else {
      try {
        const identifiers = await onlineLines(config.database.url, rules, args.givenName, args.sn);
        report = { givenName: args.givenName, sn: args.sn, database: 'read', identifiers };
      } catch (err) {
        if (isAppError(err)) throw err;
        const reason = describe(err);
        log.warn({ reason }, 'database unavailable: homonym numbers unknown');
        const identifiers = offlineLines(rules, args.givenName, args.sn);
        report = {
          givenName: args.givenName,
          sn: args.sn,
          database: 'unavailable',
          reason,
          identifiers,
        };
      }
    }
    stdout.write(args.json ? `${JSON.stringify(report)}\n` : render(report));
    return 0;
  },
};
