import { SnapshotReportInput, SNAPSHOT_PROFILES } from '@aaf-sync/webhooks';
import { z } from 'zod';
import { UaiSchema } from './common.js';

export const SnapshotParamsSchema = z.object({
  uai: UaiSchema,
  profile: z.enum(SNAPSHOT_PROFILES),
});

export const SnapshotQuerySchema = z.object({
  format: z.enum(['json', 'csv']).optional().describe('Or Accept: text/csv. Default JSON.'),
  namespace: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .optional()
    .describe('Login namespace of the server (`scribe`, `koxo`…); default the first configured.'),
});

const ManifestSchema = z
  .object({
    uai: z.string(),
    profile: z.enum(SNAPSHOT_PROFILES),
    namespace: z.string(),
    rows: z.number().int(),
    sha256: z
      .string()
      .describe(
        'JSON: sha256 (hex) of the items, one JSON text per line joined by \\n; CSV: of the CSV.',
      ),
    seq: z.number().int().describe('Every event with seq ≤ this is reflected.'),
    generatedAt: z.string(),
  })
  .meta({ id: 'SnapshotManifest' });

export const SnapshotSchema = z
  .object({
    manifest: ManifestSchema,
    items: z.array(
      z.object({
        id: z.string().describe('Stable id (AAF jointure).'),
        civility: z.string().nullable(),
        givenName: z.string(),
        sn: z.string(),
        birthName: z.string().nullable(),
        birthDate: z.string().nullable(),
        profile: z.enum(SNAPSHOT_PROFILES),
        classes: z.array(z.string()),
        groups: z.array(z.string()),
        functions: z.array(z.string()),
        mail: z.string().nullable(),
        login: z.string().nullable().describe('Primary login in the namespace asked.'),
      }),
    ),
  })
  .meta({
    id: 'Snapshot',
    description: 'The complete account list of one establishment and profile.',
  });

export const SnapshotReportParamsSchema = z.object({ uai: UaiSchema });

export const SnapshotReportSchema = SnapshotReportInput.meta({ id: 'SnapshotReport' });

export const SnapshotReportResultSchema = z
  .object({
    stored: z.number().int(),
    unknown: z.array(z.string()).describe('Ids that are not accounts of this establishment.'),
  })
  .meta({ id: 'SnapshotReportResult' });
