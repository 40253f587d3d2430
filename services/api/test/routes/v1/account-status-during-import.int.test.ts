import { EVENT_WRITER_LOCK, sql } from '@aaf-sync/db';
import { INGEST_LOCK } from '@aaf-sync/ingest';
import t from 'tap';
import { seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

// The account status is read while imports are applied (a weekly complete takes minutes): it must
// never wait for what an import holds. An import holds the ingest lock (session), the event
// writer's lock and the rows it changed (its transaction), and analyzes the tables it grows.
t.test('the account status does not wait for what an import holds', async (t) => {
  const ctx = await build(t);
  await seedSchool(ctx.db);
  const admin = await ctx.key(['accounts:read']);
  const status = async () => {
    const res = await ctx.get(admin, '/v1/accounts/jointure:A-P1');
    t.equal(res.statusCode, 200, res.body);
    return body<{ identity: { givenName: string } }>(res).identity.givenName;
  };
  t.equal(await status(), 'Alice');

  await ctx.db
    .connection()
    .execute(async (conn) => {
      await sql`select pg_advisory_lock(${INGEST_LOCK})`.execute(conn);
      try {
        await conn.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(trx);
          await trx
            .updateTable('person')
            .set({ given_name: 'Alicia', version: sql`version + 1` })
            .where('jointure', '=', 'A-P1')
            .execute();
          await sql`analyze person`.execute(trx);
          t.equal(await status(), 'Alice', 'answered meanwhile, from the last committed state');
          throw new Error('rolled back');
        });
      } finally {
        await sql`select pg_advisory_unlock(${INGEST_LOCK})`.execute(conn);
      }
    })
    .catch((err: Error) => t.equal(err.message, 'rolled back'));
  t.equal(await status(), 'Alice', 'nothing of the rolled-back import shows');
});
