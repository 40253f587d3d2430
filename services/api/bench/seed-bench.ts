import { sql, type Database, type Kysely } from '@aaf-sync/db';

export const PERSONS = 50_000;
export const EVENTS = 200_000;
export const STRUCTURES = 20;

/**
 * Seeds a benchmark directory: 20 establishments, 50k persons (70 % pupils in 40 classes per
 * establishment, relatives, teachers) with two identifiers each, and 200k person events.
 */
export async function seedBench(db: Kysely<Database>): Promise<void> {
  // Literals, not parameters: a multi-statement script runs as one simple query.
  await sql`
    insert into structure (jointure, uai, name, level, attributes, record_hash)
    select 'S' || i, lpad(i::text, 7, '0') || 'A', 'Etablissement ' || i, '2d', '{}', 'h'
    from generate_series(1, ${sql.lit(STRUCTURES)}) i;
    insert into import_run (kind, scope, level, file_date, source, delivery_name, content_hash, status)
    values ('complete', 'ENT', '2d', '2024-09-07', 'bench', 'ENT_Complet_20240907.tgz', 'x', 'applied');
    insert into import_file (import_id, name, entity, kind, file_date, chunk, sha256, size_bytes, status)
    values (1, 'ENT_Complet_20240907_Eleve_0000.xml', 'Eleve', 'complete', '2024-09-07', 0, 'x', 1, 'applied');
    insert into person (jointure, category, profile, level, given_name, sn, birth_date, mail,
      primary_structure, details, attributes, record_hash, last_import_id, last_file_id)
    select 'P' || i,
      (array['pupil','pupil','pupil','pupil','pupil','pupil','pupil','relative','relative','staff'])[1 + i % 10],
      (array['pupil','pupil','pupil','pupil','pupil','pupil','pupil','relative','relative','teacher'])[1 + i % 10],
      '2d', 'Prenom' || i, 'Nom' || (i % 5000), '2010-01-01', 'p' || i || '@example.org',
      'S' || (1 + i % ${sql.lit(STRUCTURES)}), '{"contact":{"mobile":"0600000000"},"schooling":{"mef":"1011"}}',
      '{}', 'h', 1, 1
    from generate_series(1, ${sql.lit(PERSONS)}) i;
    insert into person_structure (person_jointure, structure_jointure)
    select 'P' || i, 'S' || (1 + i % ${sql.lit(STRUCTURES)}) from generate_series(1, ${sql.lit(PERSONS)}) i;
    insert into class_group (structure_jointure, kind, code, label)
    select 'S' || s, 'class', 'C' || c, 'Classe ' || c
    from generate_series(1, ${sql.lit(STRUCTURES)}) s, generate_series(1, 40) c;
    insert into membership (class_group_id, person_jointure)
    select cg.id, p.jointure from person p
    join class_group cg on cg.structure_jointure = p.primary_structure
      and cg.code = 'C' || (1 + (p.id / ${sql.lit(STRUCTURES)}) % 40)
    where p.category = 'pupil';
    insert into identifier (namespace, value, person_id, status, base)
    select ns, (case ns when 'educonnect' then 'p.nom' else 'pnom' end) || id, id, 'primary', 'p.nom'
    from person, unnest(array['educonnect', 'scribe']) ns;
    insert into change_event (entity_type, entity_key, op, version, uais, changes, import_id)
    select 'person', 'P' || (1 + i % ${sql.lit(PERSONS)}), 'updated', 2,
      array[lpad((1 + (1 + i % ${sql.lit(PERSONS)}) % ${sql.lit(STRUCTURES)})::text, 7, '0') || 'A'],
      jsonb_build_object('fields', jsonb_build_object('sn', jsonb_build_array('Avant', 'Apres'),
        'details.contact.mobile', jsonb_build_array('0600000000', '0611111111'))), 1
    from generate_series(1, ${sql.lit(EVENTS)}) i;
    analyze;
  `.execute(db);
}
