import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isAppError } from '@aaf-sync/errors';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../errors.js';

/**
 * Largest uploaded file and most files per request (bigger deliveries go through the inbox); the
 * file size is lowered per request to API_UPLOAD_MAX_MB.
 */
export const UPLOAD_LIMITS = { fileSize: 10_240 * 1024 * 1024, files: 200, fields: 10 } as const;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export interface SavedUpload {
  readonly dir: string;
  readonly paths: string[];
  readonly names: string[];
  /** Form fields (e.g. `dryRun`). */
  readonly fields: Record<string, string>;
  /** Removes the temporary folder and its files. */
  cleanup(): Promise<void>;
}

function invalid(message: string): never {
  throw ApiErrors.VALIDATION({
    summary: `body: ${message}`,
    errors: [{ in: 'body', path: 'files', message }],
  });
}

/**
 * Streams every file of a multipart request to a new temporary folder (never buffering a file in
 * memory). File names must be plain names (AAF files, .tgz, .zip): no folders, no `..`. A file
 * over API_UPLOAD_MAX_MB is a 413 (the folder is removed; nothing reaches the engine).
 */
export async function saveUpload(request: FastifyRequest): Promise<SavedUpload> {
  const fileSize = Math.min(UPLOAD_LIMITS.fileSize, request.server.config.api.uploadMaxBytes);
  const dir = await mkdtemp(join(tmpdir(), 'aaf-upload-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const paths: string[] = [];
  const names: string[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { ...UPLOAD_LIMITS, fileSize } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      const name = part.filename;
      if (!SAFE_NAME.test(name) || name.includes('..')) {
        part.file.resume();
        invalid(`file name "${name.slice(0, 80)}" is not a plain name`);
      }
      if (names.includes(name)) {
        part.file.resume();
        invalid(`file "${name}" is sent twice`);
      }
      const path = join(dir, name);
      await pipeline(part.file, createWriteStream(path));
      if (part.file.truncated) {
        throw ApiErrors.PAYLOAD_TOO_LARGE({
          reason: `file "${name}" is larger than ${fileSize} bytes`,
        });
      }
      names.push(name);
      paths.push(path);
    }
    if (paths.length === 0) invalid('no file: send the delivery as multipart/form-data files');
    return { dir, paths, names, fields, cleanup };
  } catch (err) {
    await cleanup();
    throw unreadableBody(err);
  }
}

/**
 * The multipart parser (busboy) throws plain errors for a body it cannot read: no boundary,
 * "Unexpected end of multipart data", a part cut short. They are the client's: 400
 * API_ERR_BAD_MULTIPART. Our AppErrors, the plugin's 4xx (limits, 413) and errors of the file
 * system (they carry a `syscall`: a full disk is the server's) are kept as they are.
 */
function unreadableBody(err: unknown): unknown {
  if (isAppError(err) || !(err instanceof Error)) return err;
  const e = err as Error & { statusCode?: unknown; syscall?: unknown };
  if (typeof e.statusCode === 'number' || typeof e.syscall === 'string') return err;
  return ApiErrors.BAD_MULTIPART({ reason: e.message.slice(0, 200) }, { cause: err });
}
