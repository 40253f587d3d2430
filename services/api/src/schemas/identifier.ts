import { z } from 'zod';

const name = z.string().trim().min(1).max(100);

export const PreviewQuerySchema = z.object({
  givenName: name.describe('Given name (prénom).'),
  sn: name.describe('Name (nom).'),
  namespace: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/)
    .optional()
    .describe('One namespace (educonnect, scribe, koxo…); absent: every configured namespace.'),
});

export const IdentifierPreviewSchema = z
  .object({
    namespace: z.string(),
    value: z.string().describe('The login a new person with these names would get now.'),
    base: z.string().describe('The form before homonym numbering.'),
    homonyms: z.number().int().describe('Values already handed out for this base.'),
  })
  .meta({ id: 'IdentifierPreview' });

export const PreviewResultSchema = z
  .object({ previews: z.array(IdentifierPreviewSchema) })
  .meta({ id: 'IdentifierPreviews' });
