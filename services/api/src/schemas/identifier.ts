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
    base: z.string().describe('The form before homonym numbering.'),
    value: z
      .string()
      .optional()
      .describe(
        'The login a new person with these names would get now. Unrestricted keys only: for a ' +
          'key restricted to establishments it would tell that a homonym exists elsewhere.',
      ),
    homonyms: z
      .number()
      .int()
      .optional()
      .describe(
        'Values already handed out for this base (in every establishment). Unrestricted keys only.',
      ),
  })
  .meta({
    id: 'IdentifierPreview',
    description:
      'A key restricted to establishments (`--uai`) gets `namespace` and `base` only; an ' +
      'unrestricted key also gets `value` and `homonyms`.',
  });

export const PreviewResultSchema = z
  .object({ previews: z.array(IdentifierPreviewSchema) })
  .meta({ id: 'IdentifierPreviews' });
