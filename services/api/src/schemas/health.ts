import { z } from 'zod';

export const HealthSchema = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'Health', description: 'The process is alive.' });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({
      postgres: z.enum(['up', 'down']),
      redis: z.enum(['up', 'down', 'not_configured']),
    }),
    targets: z
      .object({
        lagging: z
          .number()
          .int()
          .describe(
            'Active targets more than CHANGES_RETENTION_DAYS behind (they hold the purge).',
          ),
        needsReset: z.number().int().describe('Targets whose unread events were purged.'),
      })
      .optional()
      .describe(
        'Target consumers to look at (GET /v1/targets names them); not a readiness condition.',
      ),
  })
  .meta({ id: 'Readiness', description: 'Whether PostgreSQL and Redis answer.' });
