import { sql, type Kysely } from 'kysely';

/**
 * The core schema: imports (runs, files, rejects, plans), the directory keyed by AAF jointures,
 * the change-event log (outbox) and login identifiers.
 *
 * Conventions: persons, structures, subjects and MEFs are keyed by their AAF key (text); link
 * tables refer to persons by jointure, without foreign keys, because AAF files reference persons
 * that arrive later or never (relatives absent from a delta, subjects not declared…). Every
 * directory row carries `version` (bumped on each change) and the import/file that last changed it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_run (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('complete', 'delta')),
      scope text not null,
      level text not null check (level in ('1d', '2d')),
      file_date date not null,
      source text not null,
      delivery_name text not null,
      content_hash text not null,
      status text not null check (status in (
        'planning', 'planned', 'applying', 'applied', 'held', 'partially_held',
        'dry_run', 'duplicate', 'refused', 'failed', 'discarded')),
      dry_run boolean not null default false,
      options jsonb not null default '{}',
      summary jsonb,
      error jsonb,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index import_run_recent on import_run (created_at desc);
    create index import_run_complete on import_run (scope, level, file_date) where kind = 'complete';

    create table import_file (
      id bigint generated always as identity primary key,
      import_id bigint not null references import_run (id) on delete cascade,
      name text not null,
      entity text not null,
      kind text not null,
      file_date date not null,
      chunk integer not null,
      sha256 text not null,
      size_bytes bigint not null,
      encoding text,
      format_version text,
      records integer not null default 0,
      rejects integer not null default 0,
      unknown_attributes jsonb not null default '{}',
      status text not null check (status in ('pending', 'parsed', 'applied', 'duplicate', 'failed', 'skipped')),
      error jsonb
    );
    create index import_file_by_import on import_file (import_id);
    create index import_file_by_hash on import_file (sha256);

    create table import_reject (
      id bigint generated always as identity primary key,
      import_id bigint not null references import_run (id) on delete cascade,
      file_id bigint references import_file (id) on delete cascade,
      file_name text not null,
      line integer,
      entity text,
      identifier text,
      structure_jointure text,
      uai text,
      code text not null,
      message text not null,
      attribute text,
      raw text
    );
    create index import_reject_by_import on import_reject (import_id, code);
    create index import_reject_by_uai on import_reject (uai, import_id);

    -- One row per establishment touched by an import: its counts and its hold decision.
    create table import_plan (
      import_id bigint not null references import_run (id) on delete cascade,
      structure_jointure text not null,
      uai text,
      status text not null check (status in ('planned', 'applied', 'held', 'approved', 'discarded', 'dry_run', 'superseded')),
      counts jsonb not null,
      active_before integer not null default 0,
      departures integer not null default 0,
      over_threshold boolean not null default false,
      decided_at timestamptz,
      decided_by text,
      primary key (import_id, structure_jointure)
    );
    create index import_plan_held on import_plan (status) where status = 'held';

    -- The plan, item by item, kept until applied (and for held or dry-run plans until decided).
    create table import_plan_item (
      import_id bigint not null references import_run (id) on delete cascade,
      seq integer not null,
      structure_jointure text,
      entity text not null,
      key text not null,
      action text not null check (action in ('create', 'update', 'restore', 'depart', 'leave')),
      base_version integer,
      file_id bigint,
      payload json compression lz4 not null,
      primary key (import_id, seq)
    );
    create index import_plan_item_by_structure on import_plan_item (import_id, structure_jointure);

    create table structure (
      jointure text primary key,
      uai text,
      name text not null,
      type text,
      contract text,
      academy text,
      level text not null check (level in ('1d', '2d')),
      attributes json compression lz4 not null,
      record_hash text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_import_id bigint,
      last_file_id bigint
    );
    create index structure_by_uai on structure (uai);

    create table subject (
      code text primary key,
      label text not null,
      attributes json compression lz4 not null,
      record_hash text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_import_id bigint,
      last_file_id bigint
    );

    create table mef (
      code text primary key,
      label text not null,
      attachment text,
      stat11 text,
      attributes json compression lz4 not null,
      record_hash text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_import_id bigint,
      last_file_id bigint
    );

    create table person (
      id bigint generated always as identity primary key,
      jointure text not null unique,
      category text not null check (category in ('pupil', 'relative', 'staff')),
      profile text not null check (profile in ('pupil', 'relative', 'teacher', 'staff')),
      level text not null check (level in ('1d', '2d')),
      given_name text not null,
      sn text not null,
      birth_name text,
      birth_date date,
      civility text,
      ine text,
      mail text,
      primary_structure text,
      details jsonb not null default '{}',
      attributes json compression lz4 not null,
      record_hash text not null,
      state text not null default 'active' check (state in ('active', 'departed')),
      departed_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_import_id bigint,
      last_file_id bigint
    );
    create index person_by_primary_structure on person (primary_structure, category);
    create index person_by_name on person (lower(sn), lower(given_name));
    create index person_by_ine on person (ine) where ine is not null;

    -- Establishments of a person: administrative attachment, functions, classes, children's schools.
    create table person_structure (
      person_jointure text not null,
      structure_jointure text not null,
      since timestamptz not null default now(),
      primary key (person_jointure, structure_jointure)
    );
    create index person_structure_by_structure on person_structure (structure_jointure, person_jointure);

    -- Classes and groups exist only through pupils; 'empty' once the last pupil left.
    create table class_group (
      id bigint generated always as identity primary key,
      structure_jointure text not null,
      kind text not null check (kind in ('class', 'group')),
      code text not null,
      label text not null,
      state text not null default 'active' check (state in ('active', 'empty')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_import_id bigint,
      unique (structure_jointure, kind, code)
    );

    create table membership (
      class_group_id bigint not null references class_group (id),
      person_jointure text not null,
      since timestamptz not null default now(),
      primary key (class_group_id, person_jointure)
    );
    create index membership_by_person on membership (person_jointure);

    create table relative_link (
      pupil_jointure text not null,
      relative_jointure text not null,
      relationship text,
      financial boolean,
      legal smallint,
      contact boolean,
      payment boolean,
      primary key (pupil_jointure, relative_jointure)
    );
    create index relative_link_by_relative on relative_link (relative_jointure);

    -- Teacher links to a class or group (with subject when known). Stale when the class or group
    -- has no pupil: computed by query, never a reason to create the class.
    create table teaching_link (
      person_jointure text not null,
      structure_jointure text not null,
      kind text not null check (kind in ('class', 'group')),
      code text not null,
      subject_code text not null default '',
      primary key (person_jointure, structure_jointure, kind, code, subject_code)
    );
    create index teaching_link_by_class on teaching_link (structure_jointure, kind, code);

    create table head_teacher (
      person_jointure text not null,
      structure_jointure text not null,
      class_code text not null,
      primary key (person_jointure, structure_jointure, class_code)
    );

    create table person_function (
      person_jointure text not null,
      structure_jointure text not null,
      code text not null,
      label text not null default '',
      discipline_code text not null default '',
      discipline_label text not null default '',
      primary key (person_jointure, structure_jointure, code, discipline_code)
    );

    create table direction (
      person_jointure text not null,
      structure_jointure text not null,
      primary key (person_jointure, structure_jointure)
    );

    -- The ordered event log (outbox): written in the same transaction as the change it describes.
    create table change_event (
      seq bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      entity_type text not null,
      entity_key text not null,
      op text not null check (op in ('created', 'updated', 'departed', 'restored', 'deleted')),
      version integer not null,
      uais text[] not null default '{}',
      changes json compression lz4 not null default '{}',
      import_id bigint,
      file_id bigint,
      actor text
    );
    create index change_event_by_entity on change_event (entity_type, entity_key, seq);
    create index change_event_by_import on change_event (import_id) where import_id is not null;
    create index change_event_by_time on change_event (occurred_at);

    -- Login identifiers, one namespace per target. Never deleted: a retired value stays reserved.
    create table identifier (
      id bigint generated always as identity primary key,
      namespace text not null,
      value text not null,
      person_id bigint not null references person (id),
      status text not null check (status in ('primary', 'alias', 'retired')),
      base text,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      note text,
      unique (namespace, value)
    );
    create index identifier_by_person on identifier (person_id, namespace);
    create unique index identifier_one_primary on identifier (person_id, namespace) where status = 'primary';

    -- O(1) homonym numbering: how many values were handed out for (namespace, base).
    create table identifier_counter (
      namespace text not null,
      base text not null,
      allocated integer not null,
      primary key (namespace, base)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists identifier_counter, identifier, change_event, direction, person_function,
      head_teacher, teaching_link, relative_link, membership, class_group, person_structure, person,
      mef, subject, structure, import_plan_item, import_plan, import_reject, import_file, import_run
  `.execute(db);
}
