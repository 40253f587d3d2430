import { sql } from '@aaf-sync/db';
import { consumerStatuses } from '@aaf-sync/targets';
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
 * head and purge watermark, held plans, active API keys). Served at /metrics by routes/metrics.ts.
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
      const { rows } = await sql<{ head: number; watermark: number; held: number; keys: number }>`
        select coalesce((select max(seq) from change_event), 0) as head,
          coalesce((select max(through_seq) from change_event_purge), 0) as watermark,
          (select count(*)::int from import_plan where status = 'held') as held,
          (select count(*)::int from api_key where revoked_at is null) as keys
      `.execute(app.db);
      return rows[0]!;
    };
    let pending: ReturnType<typeof state> | null = null;
    // One query per scrape for the four gauges.
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
    new Gauge({
      name: 'aaf_target_provisioning_rows',
      help: 'Provisioning rows (account × target) not yet applied, by status.',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        const all = await consumers();
        this.set(
          { status: 'pending' },
          all.reduce((n, c) => n + c.pendingRows, 0),
        );
        this.set(
          { status: 'failed' },
          all.reduce((n, c) => n + c.failedRows, 0),
        );
      },
    });

    app.decorate('metrics', registry);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics', dependencies: ['deps'] },
);
