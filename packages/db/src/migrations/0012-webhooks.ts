import { sql, type Kysely } from 'kysely';

/**
 * Provisioning webhooks (packages/webhooks). A subscription is a `target` of kind `webhook`; its
 * dispatcher turns the events after its cursor into `webhook_delivery` rows (the outbox) in the
 * transaction that moves the cursor. Each attempt is logged in `webhook_attempt` (status,
 * latency, response excerpt ≤ 1 KB); `webhook_health` tracks how long a subscription has been
 * failing (auto-disable). `snapshot_report` keeps what a pedagogical server's agent read back
 * (login, home path, status per account). Independent of migrations 0009–0011.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_delivery (
      id bigint generated always as identity primary key,
      target_id bigint not null references target (id) on delete cascade,
      -- The event's seq (snapshot.published: the last seq of the window it follows).
      seq bigint not null,
      event_type text not null,
      -- Order is kept per (target, entity_key): a row waits while an older one is pending.
      entity_key text not null,
      -- The exact request body (the same bytes on every retry).
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      -- When the event was committed (latency: committed → delivered).
      occurred_at timestamptz not null,
      delivered_at timestamptz,
      last_status integer,
      last_error text,
      replayed_at timestamptz,
      unique (target_id, seq, event_type, entity_key)
    );
    create index webhook_delivery_entity on webhook_delivery (target_id, entity_key, seq)
      where status = 'pending';
    -- The claim walks pending rows in seq order without visiting delivered ones.
    create index webhook_delivery_pending on webhook_delivery (target_id, seq)
      where status = 'pending';
    create index webhook_delivery_dead on webhook_delivery (target_id, id) where status = 'dead';

    create table webhook_attempt (
      id bigint generated always as identity primary key,
      delivery_id bigint not null references webhook_delivery (id) on delete cascade,
      target_id bigint not null references target (id) on delete cascade,
      attempt integer not null,
      attempted_at timestamptz not null,
      ok boolean not null,
      status_code integer,
      latency_ms double precision not null,
      response_excerpt text check (octet_length(response_excerpt) <= 1024),
      error text
    );
    create index webhook_attempt_by_target on webhook_attempt (target_id, id);
    create index webhook_attempt_by_delivery on webhook_attempt (delivery_id);

    create table webhook_health (
      target_id bigint primary key references target (id) on delete cascade,
      -- First failure since the last success (null: healthy).
      failing_since timestamptz,
      last_success_at timestamptz,
      last_failure_at timestamptz,
      disabled_at timestamptz,
      disabled_reason text
    );

    create table snapshot_report (
      reporter text not null,
      uai text not null,
      person_jointure text not null,
      login text,
      home_path text,
      status text not null,
      detail text,
      reported_at timestamptz not null default now(),
      primary key (reporter, uai, person_jointure)
    );
    create index snapshot_report_by_person on snapshot_report (person_jointure);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists snapshot_report, webhook_health, webhook_attempt, webhook_delivery;
  `.execute(db);
}
