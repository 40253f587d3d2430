import { z } from 'zod';
import { UaiSchema } from './common.js';

export const CredentialsQuerySchema = z.object({
  uai: UaiSchema.describe('The establishment (one of the target’s; a scoped key: its own).'),
  class: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters')
    .optional()
    .describe('Only the accounts of this class of the establishment (its code, e.g. `3A`).'),
  format: z
    .enum(['csv', 'html'])
    .default('csv')
    .describe('`csv` (one line per account) or `html` (a printable sheet, one page per class).'),
});

export const PasswordResetSchema = z
  .object({
    account: z.string().describe('The account as named in the request.'),
    targets: z
      .array(
        z.object({
          target: z.string().describe('Target name.'),
          kind: z.string(),
          login: z.string().describe('The login the new password belongs to.'),
          uai: UaiSchema,
          class: z.string().nullable().describe('Class of the account there (null: none).'),
          retrieve: z
            .string()
            .describe('Where to retrieve the sheet once the targets process has set it.'),
        }),
      )
      .describe('Each password-capable target that will set a new password.'),
  })
  .meta({
    id: 'PasswordReset',
    description:
      'A new initial password was issued and stored (encrypted) pending; the targets process ' +
      'sets it on each target, after which the sheet can be retrieved once.',
  });
