import type { Executor } from '@aaf-sync/db';

/**
 * Where the initial password of an account comes from (by person id), asked only for accounts
 * the target has not published yet: the password goes in the file that creates the account and
 * never again. The credentials package plugs in here (`koxoDriver({ initialPasswords })`); until
 * then the default answers none and the MotDePasse column stays empty (the site's profile then
 * keeps `<Password>Generated</Password>`).
 */
export type InitialPasswords = (
  db: Executor,
  personIds: readonly number[],
) => Promise<ReadonlyMap<number, string>>;

export const noInitialPasswords: InitialPasswords = () => Promise.resolve(new Map());
