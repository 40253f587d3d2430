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
  })
  .meta({ id: 'Readiness', description: 'Whether PostgreSQL and Redis answer.' });
