import { sql, type Kysely } from 'kysely';

/**
 * The fingerprint of the bytes of the addRequest a person was last applied from (see
 * `RequestPrint` in packages/aaf): the next complete skips an identical request before parsing
 * it. A cache beside `record_hash`: null when unknown; the trigger clears it whenever the record
 * changes without a new one (a modifyRequest, a held plan of an older reader), so a stored
 * fingerprint always names bytes that parse into the stored record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column raw_hash text;
    create function person_raw_hash_stale() returns trigger language plpgsql as $$
    begin
      new.raw_hash := null;
      return new;
    end $$;
    create trigger person_raw_hash_stale before update of record_hash on person
      for each row
      when (new.record_hash is distinct from old.record_hash and new.raw_hash is not distinct from old.raw_hash)
      execute function person_raw_hash_stale();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger person_raw_hash_stale on person;
    drop function person_raw_hash_stale();
    alter table person drop column raw_hash;
  `.execute(db);
}
