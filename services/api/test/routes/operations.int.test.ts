import t from 'tap';
import { build } from '../helper.js';

t.test('health, readiness, metrics and docs need no key', async (t) => {
  const ctx = await build(t, { redis: true });

  const health = await ctx.inject({ url: '/healthz' });
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });

  const ready = await ctx.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), {
    status: 'ready',
    checks: { postgres: 'up', redis: 'up' },
    targets: { lagging: 0, needsReset: 0 },
  });

  const key = await ctx.key(['directory:read']);
  await ctx.get(key, '/v1/establishments');
  await ctx.get(key, '/v1/establishments/0990099X');
  const metrics = await ctx.inject({ url: '/metrics' });
  t.equal(metrics.statusCode, 200);
  t.match(metrics.headers['content-type'], /^text\/plain/);
  t.match(
    metrics.body,
    /aaf_api_requests_total\{method="GET",route="\/v1\/establishments",status="200"\} 1/,
  );
  t.match(
    metrics.body,
    /aaf_api_requests_total\{method="GET",route="\/v1\/establishments\/:uai",status="404"\} 1/,
  );
  t.match(
    metrics.body,
    /aaf_api_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/v1\/establishments"\}/,
  );
  t.match(metrics.body, /aaf_api_keys_active 1/);
  t.match(metrics.body, /aaf_change_feed_head_seq 0/);
  t.match(metrics.body, /aaf_import_plans_held 0/);
  t.match(metrics.body, /aaf_target_consumers_lagging 0/);
  t.match(metrics.body, /aaf_calendar_deliveries_missing_total 0/);
  t.match(metrics.body, /aaf_calendar_transitions_failing 0/);
  t.match(metrics.body, /# TYPE aaf_target_provisioning_rows gauge/);
  t.match(metrics.body, /process_cpu_seconds_total/);

  const docs = await ctx.inject({ url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-type'], /text\/html/);
  t.notMatch(docs.body, /https?:\/\/(cdn|unpkg|cdnjs)/, 'no CDN');
  const json = await ctx.inject({ url: '/docs/json' });
  t.equal(json.statusCode, 200);
  t.equal(json.json().openapi, '3.1.0');
});

t.test('readiness says which dependency is down', async (t) => {
  const ctx = await build(t, { redis: true });
  ctx.appRedis!.disconnect();
  const res = await ctx.inject({ url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.same(res.json(), {
    status: 'not_ready',
    checks: { postgres: 'up', redis: 'down' },
    targets: { lagging: 0, needsReset: 0 },
  });
});
