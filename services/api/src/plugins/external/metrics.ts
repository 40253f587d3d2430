import { EVENT_WATERMARK, sql } from '@aaf-sync/db';
import { consumerStatuses, targetGauges, type TargetGauge } from '@aaf-sync/targets';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    readonly metrics: Registry;
  }
}

/**
 * Prometheus metrics (prom-client), one registry per app: request count and latency per route
 * pattern and status, process metrics, and gauges read from the database at scrape time (feed
 * head and purge watermark, held plans, active API keys, and the targets: rows pending and
 * failed, consumer lag in events and seconds, last batch duration). Served at /metrics by
 * routes/metrics.ts.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
      name: 'aaf_api_requests_total',
      help: 'API requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: 'aaf_api_request_duration_seconds',
      help: 'API request duration by method and route pattern.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    });
    const state = async () => {
      const { rows } = await sql<{
        head: number;
        watermark: number;
        held: number;
        keys: number;
        missing: number;
        failing: number;
      }>`
        select coalesce((select max(seq) from change_event), 0) as head,
          ${EVENT_WATERMARK} as watermark,
          (select count(*)::int from import_plan where status = 'held') as held,
          (select count(*)::int from api_key where revoked_at is null) as keys,
          (select count(*)::int from notice where kind = 'delivery.missing') as missing,
          (select count(*)::int from calendar_transition where done_at is null) as failing
      `.execute(app.db);
      return rows[0]!;
    };
    let pending: ReturnType<typeof state> | null = null;
    // One query per scrape for these gauges.
    const read = () => (pending ??= state().finally(() => setImmediate(() => (pending = null))));
    const gauge = (
      name: string,
      help: string,
      pick: (s: Awaited<ReturnType<typeof state>>) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          this.set(Number(pick(await read())));
        },
      });
    gauge('aaf_change_feed_head_seq', 'Highest event seq of the change log.', (s) => s.head);
    gauge(
      'aaf_change_feed_watermark_seq',
      'Purge watermark of the change log.',
      (s) => s.watermark,
    );
    gauge('aaf_import_plans_held', 'Establishment plans waiting for approval.', (s) => s.held);
    gauge('aaf_api_keys_active', 'API keys not revoked.', (s) => s.keys);
    gauge(
      'aaf_calendar_deliveries_missing_total',
      'Expected AAF files alerted missing by the scheduler (notices delivery.missing).',
      (s) => s.missing,
    );
    gauge(
      'aaf_calendar_transitions_failing',
      'Calendar transitions that failed and wait for their retry.',
      (s) => s.failing,
    );
    const consumers = () =>
      consumerStatuses(app.db, { retentionDays: app.config.api.changesRetentionDays });
    new Gauge({
      name: 'aaf_target_consumers_lagging',
      help: 'Active targets more than CHANGES_RETENTION_DAYS behind in the event log (they hold the purge back).',
      registers: [registry],
      async collect() {
        this.set((await consumers()).filter((c) => c.lagging).length);
      },
    });
    // Per target up to TARGETS_METRICS_MAX_TARGETS targets, per kind beyond (label cardinality).
    let gaugesPending: Promise<TargetGauge[]> | null = null;
    const gauges = () =>
      (gaugesPending ??= targetGauges(app.db)
        .then((all) => byLabel(all, app.config.targets.metricsMaxTargets))
        .finally(() => setImmediate(() => (gaugesPending = null))));
    const perTarget = (
      name: string,
      help: string,
      set: (g: Gauge<'target'>, t: TargetGauge) => void,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['target'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const t of await gauges()) set(this, t);
        },
      });
    new Gauge({
      name: 'aaf_target_provisioning_rows',
      help: 'Provisioning rows (accounts) of a target waiting for its worker, by status (pending, failed).',
      labelNames: ['target', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const t of await gauges()) {
          this.set({ target: t.name, status: 'pending' }, t.pending);
          this.set({ target: t.name, status: 'failed' }, t.failed);
        }
      },
    });
    perTarget(
      'aaf_target_consumer_lag_events',
      'Events of the log a target has not dispatched yet.',
      (g, t) => g.set({ target: t.name }, t.lagEvents),
    );
    perTarget(
      'aaf_target_consumer_lag_seconds',
      'Age of the oldest event a target has not dispatched yet (0 at the head).',
      (g, t) => g.set({ target: t.name }, t.lagSeconds),
    );
    perTarget(
      'aaf_target_apply_seconds',
      "Duration of a target's last reconcile batch (recorded by the targets process in PostgreSQL).",
      (g, t) => {
        if (t.batchSeconds !== null) g.set({ target: t.name }, t.batchSeconds);
      },
    );

    app.decorate('metrics', registry);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics', dependencies: ['deps'] },
);

/**
 * The gauges as labelled: per target when there are at most `max` targets; otherwise one
 * series per kind (`kind:<kind>`), rows summed and lag / batch duration the maximum.
 */
export function byLabel(all: readonly TargetGauge[], max: number): TargetGauge[] {
  if (all.length <= max) return [...all];
  const kinds = new Map<string, TargetGauge>();
  for (const t of all) {
    const k = kinds.get(t.kind);
    kinds.set(
      t.kind,
      k === undefined
        ? { ...t, name: `kind:${t.kind}` }
        : {
            ...k,
            pending: k.pending + t.pending,
            failed: k.failed + t.failed,
            lagEvents: Math.max(k.lagEvents, t.lagEvents),
            lagSeconds: Math.max(k.lagSeconds, t.lagSeconds),
            batchSeconds:
              t.batchSeconds === null
                ? k.batchSeconds
                : Math.max(k.batchSeconds ?? 0, t.batchSeconds),
          },
    );
  }
  return [...kinds.values()];
}
