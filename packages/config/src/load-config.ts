import type { z } from 'zod';
import { ConfigErrors } from './errors.js';
import { ENV_VARS, type EnvVarName } from './env-vars.js';

type Parsed = { [K in EnvVarName]: z.output<(typeof ENV_VARS)[K]['schema']> };

function buildConfig(v: Parsed) {
  return {
    log: { level: v.LOG_LEVEL, pretty: v.LOG_PRETTY },
    database: { url: v.DATABASE_URL, poolMax: v.DATABASE_POOL_MAX },
    redis: { url: v.REDIS_URL, queuePrefix: v.QUEUE_PREFIX },
    jobs: { shutdownTimeoutMs: v.JOBS_SHUTDOWN_TIMEOUT_SECONDS * 1000 },
    ldap: {
      url: v.LDAP_URL,
      ldapsUrl: v.LDAPS_URL,
      tlsCaFile: v.LDAP_TLS_CA_FILE ?? null,
      baseDn: v.LDAP_BASE_DN,
      bindDn: v.LDAP_BIND_DN,
      bindPassword: v.LDAP_BIND_PASSWORD,
    },
    ad: {
      url: v.AD_URL,
      baseDn: v.AD_BASE_DN,
      bindDn: v.AD_BIND_DN,
      bindPassword: v.AD_BIND_PASSWORD ?? null,
    },
    api: {
      host: v.HOST,
      port: v.PORT,
      rateLimitPerMinute: v.API_RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: v.API_AUTH_FAILURES_PER_MINUTE,
      uploadMaxBytes: v.API_UPLOAD_MAX_MB * 1024 * 1024,
      keyCacheSeconds: v.API_KEY_CACHE_SECONDS,
      changesRetentionDays: v.CHANGES_RETENTION_DAYS,
    },
    ingest: {
      inboxDir: v.AAF_INBOX_DIR,
      archiveDir: v.AAF_ARCHIVE_DIR,
      uploadDir: v.AAF_UPLOAD_DIR,
      archiveRetentionDays: v.AAF_ARCHIVE_RETENTION_DAYS,
      pollSeconds: v.AAF_INBOX_POLL_SECONDS,
      quarantineDir: v.AAF_QUARANTINE_DIR,
      holdThresholdPercent: v.IMPORT_HOLD_THRESHOLD_PERCENT,
      holdMinDepartures: v.IMPORT_HOLD_MIN_DEPARTURES,
      keepUnlinkedRelatives: v.IMPORT_KEEP_UNLINKED_RELATIVES,
      relativeAccountLegalCodes: v.RELATIVE_ACCOUNT_LEGAL_CODES,
      batchSize: v.IMPORT_BATCH_SIZE,
      nice: v.INGEST_NICE,
    },
    aafLimits: {
      maxDepth: v.AAF_MAX_XML_DEPTH,
      maxXmlAttributes: v.AAF_MAX_XML_ATTRIBUTES,
      maxAttributes: v.AAF_MAX_ATTRIBUTES_PER_RECORD,
      maxValues: v.AAF_MAX_VALUES_PER_ATTRIBUTE,
      maxRecords: v.AAF_MAX_RECORDS_PER_FILE,
      maxFileBytes: v.AAF_MAX_FILE_BYTES,
      maxArchiveBytes: v.AAF_MAX_ARCHIVE_BYTES,
      maxArchiveEntries: v.AAF_MAX_ARCHIVE_ENTRIES,
      maxDeliveryBytes: v.AAF_MAX_DELIVERY_BYTES,
    },
    targets: {
      secretsKey: v.TARGET_SECRETS_KEY,
      previousSecretsKeys: v.TARGET_SECRETS_PREVIOUS_KEYS,
      pollSeconds: v.TARGETS_POLL_SECONDS,
      batchSize: v.TARGETS_BATCH_SIZE,
      metricsMaxTargets: v.TARGETS_METRICS_MAX_TARGETS,
    },
    scheduler: {
      tickMs: v.SCHEDULER_TICK_SECONDS * 1000,
      retryBaseMs: v.SCHEDULER_RETRY_BASE_SECONDS * 1000,
      deliveryAlertMs: v.SCHEDULER_DELIVERY_ALERT_DAYS * 86_400_000,
    },
    credentials: {
      passwordLength: v.CREDENTIALS_PASSWORD_LENGTH,
      purgeOnRetrieval: v.CREDENTIALS_PURGE_ON_RETRIEVAL,
      yearEnd: v.CREDENTIALS_YEAR_END,
    },
    webhooks: {
      allowPrivate: v.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      connectTimeoutMs: v.WEBHOOK_CONNECT_TIMEOUT_MS,
      totalTimeoutMs: v.WEBHOOK_TIMEOUT_MS,
      concurrency: v.WEBHOOK_CONCURRENCY,
      disableAfterMs: v.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
      rotationWindowMs: v.WEBHOOK_ROTATION_HOURS * 3_600_000,
    },
    identifiers: {
      namespaces: v.IDENTIFIER_NAMESPACES,
      numberStart: v.IDENTIFIER_NUMBER_START,
    },
  };
}

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type Config = DeepReadonly<ReturnType<typeof buildConfig>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads and validates the whole configuration once. Throws one `CONFIG_ERR_INVALID` naming every
 * bad variable (never the value of a secret). The result is deeply frozen.
 *
 * @example
 * const config = loadConfig();            // process.env
 * const config = loadConfig({ PORT: '0' }); // tests
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name] === '' ? undefined : env[name];
    const input = raw ?? ('default' in spec ? spec.default : undefined);
    const result = spec.schema.safeParse(input);
    if (result.success) {
      values[name] = result.data;
    } else {
      const why = result.error.issues.map((i) => i.message).join('; ');
      problems.push(
        `${name}: ${why}${raw === undefined || 'secret' in spec ? '' : ` (got "${raw}")`}`,
      );
    }
  }
  if (problems.length > 0) {
    throw ConfigErrors.INVALID({ problems: problems.join(', '), variables: problems });
  }
  return deepFreeze(buildConfig(values as Parsed));
}
