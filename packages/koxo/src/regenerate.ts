import type { Database, Executor, Kysely, KoxoSnapshotStatus } from '@aaf-sync/db';
import { eventHead, type SecretBox } from '@aaf-sync/targets';
import { buildKoxoFiles } from './build-files.js';
import type { InitialPasswords } from './initial-passwords.js';
import type { KoxoOptions } from './koxo-options.js';
import { publishFiles, type KoxoManifest } from './publish.js';
import { loadRoster } from './roster.js';
import { shrinkReason } from './shrink-guard.js';
import {
  fileRows,
  insertSnapshot,
  latestSnapshot,
  lockEstablishment,
  publishedJointures,
  recordPublishedAccounts,
  supersedeHeld,
  type StoredFile,
} from './snapshot.repository.js';

export interface KoxoTargetRef {
  readonly id: number;
  readonly name: string;
}

export interface RegenerateDeps {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly initialPasswords: InitialPasswords;
  readonly now?: () => Date;
}

export interface RegenerateOutcome {
  readonly uai: string;
  /** `unchanged`: the files are those of the newest snapshot (published or held). */
  readonly status: 'published' | 'held' | 'unchanged';
  /** The snapshot the establishment stands at now (its status says if it is served). */
  readonly version: number;
  readonly snapshotStatus: KoxoSnapshotStatus;
  readonly holdReason: string | null;
  /** Jointures written in the files, and accounts left out with the reason. */
  readonly included: ReadonlySet<string>;
  readonly rejected: ReadonlyMap<string, string>;
}

export function manifestOf(
  target: KoxoTargetRef,
  uai: string,
  snapshot: { version: number; generated_at: Date | string; event_seq: number | string },
  f: { name: string; primaryGroup: string; rows: number; sha256: string },
): KoxoManifest {
  return {
    file: f.name,
    target: target.name,
    uai,
    population: f.name.slice(uai.length + 1, -'.csv'.length),
    primaryGroup: f.primaryGroup,
    snapshotVersion: snapshot.version,
    rows: f.rows,
    sha256: f.sha256,
    generatedAt: new Date(snapshot.generated_at).toISOString(),
    eventSeq: Number(snapshot.event_seq),
  };
}

/**
 * Publishes a snapshot's files (just generated, or a held one approved): written to the target's
 * folder with their manifests, and the accounts they hold recorded as published.
 */
export async function publishSnapshot(
  trx: Executor,
  target: KoxoTargetRef,
  options: Pick<KoxoOptions, 'exportDir'>,
  uai: string,
  snapshot: {
    id: number;
    version: number;
    generated_at: Date | string;
    event_seq: number | string;
  },
  files: readonly StoredFile[],
): Promise<void> {
  await publishFiles(
    options.exportDir,
    uai,
    files.map((f) => ({
      name: f.name,
      content: f.content,
      manifest: manifestOf(target, uai, snapshot, f),
    })),
  );
  await recordPublishedAccounts(
    trx,
    target.id,
    uai,
    snapshot.id,
    files.flatMap((f) => f.jointures),
  );
}

/**
 * Regenerates the complete files of one establishment and publishes them, unless nothing
 * changed (no new version) or a file shrank beyond the threshold (a `held` version, not
 * written). One transaction under an advisory lock per (target, establishment), in repeatable
 * read so that the rows and the event seq of the manifest agree; the folder is written before
 * the commit, so a failed write leaves no published version behind.
 */
export async function regenerateEstablishment(
  deps: RegenerateDeps,
  target: KoxoTargetRef,
  options: KoxoOptions,
  uai: string,
): Promise<RegenerateOutcome> {
  const now = deps.now ?? (() => new Date());
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await lockEstablishment(trx, target.id, uai);
      const eventSeq = await eventHead(trx);
      const roster = await loadRoster(trx, uai);
      const already = await publishedJointures(trx, target.id, uai);
      // Accounts already published (e.g. by an approval since): their passwords are with the site.
      await deps.initialPasswords.published(
        trx,
        target,
        roster.filter((e) => already.has(e.jointure)).map((e) => e.personId),
      );
      const fresh = roster.filter((e) => !already.has(e.jointure));
      const byPerson = await deps.initialPasswords.forNew(
        trx,
        target,
        fresh.flatMap((e) => (e.login ? [{ personId: e.personId, login: e.login }] : [])),
      );
      const passwords = new Map<string, string>();
      for (const e of fresh) {
        const p = byPerson.get(e.personId);
        if (p) passwords.set(e.jointure, p);
      }
      const set = buildKoxoFiles(uai, roster, options, passwords);
      const included = new Set(set.files.flatMap((f) => f.jointures));

      const newest = await latestSnapshot(trx, target.id, uai, ['published', 'held']);
      if (newest && newest.digest === set.digest) {
        return {
          uai,
          status: 'unchanged',
          version: newest.version,
          snapshotStatus: newest.status,
          holdReason: newest.hold_reason,
          included,
          rejected: set.rejected,
        };
      }
      const published = await latestSnapshot(trx, target.id, uai, ['published']);
      const reason = published
        ? shrinkReason(
            await fileRows(trx, published.id),
            new Map(set.files.map((f) => [f.name, f.rows])),
            options.shrinkThreshold,
          )
        : null;
      const status = reason ? 'held' : 'published';
      const snapshot = await insertSnapshot(trx, deps.box, {
        targetId: target.id,
        uai,
        status,
        eventSeq,
        generatedAt: now(),
        digest: set.digest,
        holdReason: reason,
        files: set.files,
      });
      await supersedeHeld(trx, target.id, uai, snapshot.id);
      if (status === 'published') {
        await publishSnapshot(trx, target, options, uai, snapshot, set.files);
        await deps.initialPasswords.published(
          trx,
          target,
          fresh.filter((e) => passwords.has(e.jointure)).map((e) => e.personId),
        );
      }
      return {
        uai,
        status,
        version: snapshot.version,
        snapshotStatus: status,
        holdReason: reason,
        included,
        rejected: set.rejected,
      };
    });
}
