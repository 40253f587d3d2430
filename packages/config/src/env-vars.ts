import { z } from 'zod';

/**
 * Every environment variable aaf-sync reads, with its default and why. Nothing else in the code
 * base reads `process.env`: services call `loadConfig()` once at start and pass slices down.
 * The README's configuration table is generated from this list (`pnpm config:docs`).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);
const url = (...protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a ${protocols.join(' or ')}// URL` },
  );

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'expected 32 bytes in base64',
  });

export interface EnvVar {
  readonly schema: z.ZodType;
  readonly default?: string;
  readonly description: string;
  readonly secret?: boolean;
}

export const ENV_VARS = {
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level.',
  },
  LOG_PRETTY: {
    schema: bool.optional(),
    description: 'Force pretty (true) or JSON (false) logs; unset = pretty only on a TTY.',
  },
  DATABASE_URL: {
    schema: url('postgres:', 'postgresql:'),
    default: 'postgres://postgres@127.0.0.1:5432/aaf_sync',
    description: 'PostgreSQL connection URL (the source of truth).',
    secret: true,
  },
  DATABASE_POOL_MAX: {
    schema: int(1, 200),
    default: '10',
    description:
      'Maximum connections in each process pool. The API server keeps the connections it opened (an idle connection closed and opened again costs the next requests a connection and the planning of the account statement); the other processes close one idle for 10 s.',
  },
  REDIS_URL: {
    schema: url('redis:', 'rediss:'),
    default: 'redis://127.0.0.1:6379',
    description: 'Redis for BullMQ queues (carries work only; losing it loses no data).',
    secret: true,
  },
  QUEUE_PREFIX: {
    schema: z.string().regex(/^[a-zA-Z0-9:_-]+$/),
    default: 'aaf-sync',
    description: 'Prefix of every BullMQ key, so several deployments can share one Redis.',
  },
  JOBS_SHUTDOWN_TIMEOUT_SECONDS: {
    schema: int(1, 3600),
    default: '30',
    description:
      'At shutdown, how long a process waits for its running jobs and queue connections to close (an import finishing, Redis answering); past it the jobs are cancelled and the connections dropped, and the job is taken again by the next worker.',
  },
  LDAP_URL: {
    schema: url('ldap:', 'ldaps:'),
    default: 'ldap://127.0.0.1:3389',
    description: 'OpenLDAP (Scribe target) URL; the local slapd of scripts/services by default.',
  },
  LDAPS_URL: {
    schema: url('ldaps:'),
    default: 'ldaps://127.0.0.1:1636',
    description:
      'LDAPS address of the same OpenLDAP (the local slapd of scripts/services listens there too, ' +
      'and accepts StartTLS on LDAP_URL), for TLS tests and development.',
  },
  LDAP_TLS_CA_FILE: {
    schema: z.string().min(1).optional(),
    description:
      'PEM file of the CA that signed the OpenLDAP certificate (scripts/services writes ' +
      '.cache/services/slapd-tls/ca.pem and exports its path).',
  },
  LDAP_BASE_DN: { schema: z.string().min(1), default: 'o=gouv,c=fr', description: 'LDAP suffix.' },
  LDAP_BIND_DN: {
    schema: z.string().min(1),
    default: 'cn=admin,o=gouv,c=fr',
    description: 'DN used to bind to LDAP.',
  },
  LDAP_BIND_PASSWORD: {
    schema: z.string().min(1),
    default: 'aaf-sync-dev-only',
    description: 'Password of LDAP_BIND_DN (the default only suits the local test server).',
    secret: true,
  },
  AD_URL: {
    schema: url('ldaps:', 'ldap:'),
    default: 'ldaps://127.0.0.1:636',
    description:
      'Active Directory (KoXo read-back, direct AD target) URL for tests and development; the ' +
      'Samba AD DC of scripts/services by default (LDAPS, self-signed certificate).',
  },
  AD_BASE_DN: {
    schema: z.string().min(1),
    default: 'DC=aaf,DC=test',
    description: 'Naming context of AD_URL (realm AAF.TEST of the local Samba AD DC).',
  },
  AD_BIND_DN: {
    schema: z.string().min(1),
    default: 'CN=Administrator,CN=Users,DC=aaf,DC=test',
    description: 'DN used to bind to AD_URL.',
  },
  AD_BIND_PASSWORD: {
    schema: z.string().min(1).optional(),
    description:
      'Password of AD_BIND_DN; scripts/services generates it when it provisions Samba and ' +
      'writes it to .cache/services/env (unset: AD-backed tests cannot bind).',
    secret: true,
  },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', description: 'API listen address.' },
  PORT: { schema: int(0, 65535), default: '3000', description: 'API listen port.' },
  API_RATE_LIMIT_PER_MINUTE: {
    schema: int(1),
    default: '1200',
    description: 'Requests per minute allowed to one API key.',
  },
  API_AUTH_FAILURES_PER_MINUTE: {
    schema: int(1),
    default: '20',
    description:
      'Failed authentications allowed per minute from one client IP, and with one key id; past it, that IP (or key id) gets 429 for the rest of the minute, even with a correct key.',
  },
  API_UPLOAD_MAX_MB: {
    schema: int(1, 10_240),
    default: '1024',
    description:
      'Largest file accepted by POST /v1/imports, in MiB (a larger one: 413, nothing imported; bigger deliveries go through the inbox).',
  },
  API_KEY_CACHE_SECONDS: {
    schema: int(0, 300),
    default: '5',
    description:
      'How long an API process trusts a verified key without asking PostgreSQL again; a revoked key is refused after at most this delay (0: check every request).',
  },
  CHANGES_RETENTION_DAYS: {
    schema: int(1),
    default: '90',
    description: 'Change-feed events older than this are purged; older cursors get 410 + resync.',
  },
  AAF_INBOX_DIR: {
    schema: z.string().min(1),
    default: 'var/inbox',
    description: 'Folder the ingester watches for AAF deliveries (files, .tgz, .zip).',
  },
  AAF_ARCHIVE_DIR: {
    schema: z.string().min(1),
    default: 'var/archive',
    description: 'Where processed deliveries are moved, under their import id.',
  },
  AAF_UPLOAD_DIR: {
    schema: z.string().min(1),
    default: 'var/uploads',
    description:
      'Spool of deliveries uploaded through the API (one folder per submission) until the ingester has imported them; shared by the API and the ingester.',
  },
  AAF_ARCHIVE_RETENTION_DAYS: {
    schema: int(1),
    default: '183',
    description: 'Archived deliveries older than this are purged (six months by default).',
  },
  AAF_INBOX_POLL_SECONDS: {
    schema: int(1),
    default: '10',
    description: 'How often the ingester looks at the inbox.',
  },
  AAF_QUARANTINE_DIR: {
    schema: z.string().min(1),
    default: 'var/quarantine',
    description:
      'Where the ingester moves a delivery that failed for good (bad input, attempts exhausted, worker died), with a `<name>.error.json`.',
  },
  AAF_MAX_XML_DEPTH: {
    schema: int(6, 1000),
    default: '32',
    description: 'Deepest element nesting accepted in an AAF file (the format needs 5).',
  },
  AAF_MAX_XML_ATTRIBUTES: {
    schema: int(2, 100000),
    default: '32',
    description: 'XML attributes accepted on one element (AAF elements carry at most 2).',
  },
  AAF_MAX_ATTRIBUTES_PER_RECORD: {
    schema: int(1, 1000000),
    default: '200',
    description: 'Distinct `<attr>` names accepted in one AAF request (real records hold < 100).',
  },
  AAF_MAX_VALUES_PER_ATTRIBUTE: {
    schema: int(1, 10000000),
    default: '10000',
    description: '`<value>`s accepted in one attribute of one AAF request.',
  },
  AAF_MAX_RECORDS_PER_FILE: {
    schema: int(1000),
    default: '2000000',
    description:
      'Requests accepted in one AAF file (the reader keeps each id to detect duplicates).',
  },
  AAF_MAX_FILE_BYTES: {
    schema: int(1024),
    default: String(4 * 1024 ** 3),
    description:
      'Uncompressed bytes accepted for one AAF XML file, loose or inside an archive (4 GiB), counted as it streams.',
  },
  AAF_MAX_ARCHIVE_BYTES: {
    schema: int(1024),
    default: String(16 * 1024 ** 3),
    description:
      'Uncompressed bytes accepted for one .tgz/.tar/.zip archive, all members (16 GiB).',
  },
  AAF_MAX_ARCHIVE_ENTRIES: {
    schema: int(1),
    default: '10000',
    description: 'Members accepted in one archive.',
  },
  AAF_MAX_DELIVERY_BYTES: {
    schema: int(1024),
    default: String(32 * 1024 ** 3),
    description:
      'Uncompressed bytes accepted for all the files of one ingest (CLI paths, one inbox delivery, one upload; 32 GiB).',
  },
  IMPORT_HOLD_THRESHOLD_PERCENT: {
    schema: z.coerce.number().min(0).max(100),
    default: '10',
    description:
      'Safety hold: an establishment whose plan departs more than this share of its active ' +
      'persons is held for approval; the other establishments are applied.',
  },
  IMPORT_HOLD_MIN_DEPARTURES: {
    schema: int(1),
    default: '5',
    description: 'Departures below this count never trigger the hold (tiny schools).',
  },
  IMPORT_KEEP_UNLINKED_RELATIVES: {
    schema: bool,
    default: 'true',
    description:
      'Keep relatives no pupil links to (with a report line); false = reject them (code UNLINKED_RELATIVE).',
  },
  RELATIVE_ACCOUNT_LEGAL_CODES: {
    schema: z
      .string()
      .transform((v) => v.split(',').map((c) => c.trim()))
      .pipe(z.array(z.enum(['1', '2'])).min(1))
      .transform((codes) => [...new Set(codes.map(Number))].sort()),
    default: '1,2',
    description:
      'Legal-responsibility codes (4th field of ENTElevePersRelEleve) that give a relative an account: 1 = legal representative, 2 = personne en charge. Other relatives are contacts without an account. A change applies to every relative at the next academy-wide import.',
  },
  INGEST_NICE: {
    schema: int(0, 19),
    default: '10',
    description:
      'CPU priority (nice value, 0 = normal, 19 = lowest) the ingester lowers itself to at start, so that an import leaves the cores to the API while it answers (account status p99 at 500 req/s during a weekly complete); on an idle machine it costs the import nothing. 0 keeps the priority it was started with.',
  },
  IMPORT_BATCH_SIZE: {
    schema: int(10, 100000),
    default: '1000',
    description: 'Records per database batch during an import.',
  },
  IDENTIFIER_NAMESPACES: {
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*(,[a-z][a-z0-9_-]*)*$/)
      .transform((v) => v.split(',')),
    default: 'educonnect,scribe,koxo',
    description: 'Login namespaces allocated for every new person (see packages/identifiers).',
  },
  IDENTIFIER_NUMBER_START: {
    schema: int(0, 1000),
    default: '1',
    description: 'First homonym number (the first holder gets the bare form).',
  },
  TARGET_SECRETS_KEY: {
    schema: base64Key,
    default: 'YWFmLXN5bmMtZGV2LW9ubHktdGFyZ2V0LWtleS0zMmI=',
    description:
      'AES-256-GCM key sealing target secrets (32 bytes in base64, e.g. `openssl rand -base64 32`); the default only suits local tests.',
    secret: true,
  },
  TARGET_SECRETS_PREVIOUS_KEYS: {
    schema: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(base64Key)),
    default: '',
    description:
      'Former TARGET_SECRETS_KEY values (comma-separated), still able to open secrets sealed before a rotation.',
    secret: true,
  },
  TARGETS_POLL_SECONDS: {
    schema: int(1, 3600),
    default: '30',
    description:
      'The dispatcher wakes on each import commit (LISTEN/NOTIFY) and at least this often; pending provisioning rows are re-enqueued at the same pace.',
  },
  TARGETS_BATCH_SIZE: {
    schema: int(1, 10000),
    default: '500',
    description: 'Provisioning rows a target worker reconciles per batch.',
  },
  TARGETS_METRICS_MAX_TARGETS: {
    schema: int(0, 100000),
    default: '200',
    description:
      'Up to this many targets, /metrics labels the target gauges per target; beyond it, per kind (label target="kind:<kind>": rows summed, lag and batch duration the maximum) to bound label cardinality. GET /v1/targets/{name}/status always has the per-target numbers.',
  },
  CREDENTIALS_PASSWORD_LENGTH: {
    schema: int(12, 64),
    default: '12',
    description:
      'Length of the initial passwords packages/credentials generates (at creation on a password-capable target, and at a reset); at least 12, with 3 of the 4 character classes and no look-alike characters.',
  },
  CREDENTIALS_PURGE_ON_RETRIEVAL: {
    schema: bool,
    default: 'true',
    description:
      'Purge the stored (encrypted) clear copy of initial passwords as soon as a credential sheet is retrieved; a second retrieval then answers 410. With false the copy stays retrievable until the year-end purge.',
  },
  CREDENTIALS_YEAR_END: {
    schema: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, {
      message: 'expected MM-DD',
    }),
    default: '07-15',
    description:
      'Month and day (MM-DD) of the school-year end: `pnpm aaf-sync purge-credentials` purges every clear password issued before the last such date (the scheduler also runs it at the calendar date `retention.credentialExports.deleteOn`).',
  },
  WEBHOOK_ALLOW_PRIVATE_TARGETS: {
    schema: bool,
    default: 'false',
    description:
      'Allow webhook URLs on private, loopback, link-local and other reserved addresses (checked at creation and after DNS resolution at each delivery). Only for tests and closed networks.',
  },
  WEBHOOK_CONNECT_TIMEOUT_MS: {
    schema: int(100, 60_000),
    default: '5000',
    description:
      'A webhook receiver must accept the connection (TCP and TLS) within this many milliseconds.',
  },
  WEBHOOK_TIMEOUT_MS: {
    schema: int(100, 120_000),
    default: '15000',
    description:
      'A webhook delivery (connect, send, status and the first KB of the answer) must complete within this many milliseconds, or it is retried.',
  },
  WEBHOOK_CONCURRENCY: {
    schema: int(1, 1000),
    default: '32',
    description:
      'Deliveries of one subscription in flight at once (order is kept per entity whatever the value).',
  },
  WEBHOOK_DISABLE_AFTER_HOURS: {
    schema: int(1, 24 * 60),
    default: '72',
    description:
      'A subscription whose deliveries all fail for this long is disabled (suspended) with an admin notice (audit `webhooks.disabled`).',
  },
  WEBHOOK_ROTATION_HOURS: {
    schema: int(1, 24 * 30),
    default: '24',
    description:
      'After a secret rotation, the previous secret also signs deliveries for this long.',
  },
  SCHEDULER_TICK_SECONDS: {
    schema: int(5, 3600),
    default: '60',
    description:
      'The scheduler runs the due calendar transitions at each delayed job and at least this often (repeatable tick), and checks its jobs against PostgreSQL at the same pace (rebuilt after a Redis flush; a new calendar version re-plans them).',
  },
  SCHEDULER_RETRY_BASE_SECONDS: {
    schema: int(1, 86400),
    default: '60',
    description:
      'A failing calendar transition is retried after this delay, doubled at each attempt up to one hour.',
  },
  SCHEDULER_DELIVERY_ALERT_DAYS: {
    schema: int(1, 365),
    default: '7',
    description:
      'A missing AAF file is alerted (notice `delivery.missing`) when its deadline passed less than this many days ago; older deadlines (a calendar stored late, a long outage) are recorded without alert.',
  },
} as const satisfies Record<string, EnvVar>;

export type EnvVarName = keyof typeof ENV_VARS;
