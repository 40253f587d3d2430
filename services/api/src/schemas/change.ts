import { UAI_PATTERN } from '@aaf-sync/aaf';
import { EVENT_ENTITIES } from '@aaf-sync/db';
import { FEED_OPS } from '@aaf-sync/directory';
import { z } from 'zod';
import { CursorSchema, IsoTimeSchema, JsonObjectSchema, limitSchema } from './common.js';

/** Entities and ops of the `types=` filter: the stored entities, and the feed's ops (with `left`). */
export { EVENT_ENTITIES };
export const EVENT_OPS = FEED_OPS;

const UAI_BODY = UAI_PATTERN.source.slice(1, -1);
const UAI_LIST = new RegExp(`^${UAI_BODY}(,${UAI_BODY})*$`);
const TYPE_ITEM = new RegExp(`^(${EVENT_ENTITIES.join('|')})(\\.(${EVENT_OPS.join('|')}))?$`);

export const FeedItemSchema = z
  .object({
    seq: z.number().int().describe('Position in the log; increasing, with gaps.'),
    occurredAt: IsoTimeSchema,
    type: z
      .string()
      .describe(
        `\`<entity>.<op>\`, e.g. \`person.updated\`; ops: ${FEED_OPS.join(', ')} ` +
          '(`person.left` and `person.entered` only for establishment-scoped keys).',
      ),
    key: z.string().describe('Entity key (see the feed format in the API description).'),
    version: z.number().int().describe('Entity version after this event.'),
    uais: z.array(z.string()).describe('Establishments concerned.'),
    changes: JsonObjectSchema.describe(
      'created: `{ after }`; updated: `{ fields: { name: [before, after] } }`; departed: ' +
        '`{ departedAt, structures }`; restored/deleted: context; left (scoped keys): ' +
        '`{ jointure, id, category, structures }` (the structures left, nothing else); ' +
        'entered (scoped keys): `{ jointure, id, category, structures, after }`, `after` being ' +
        'the current record as GET /v1/persons shows it, and `version` its version. ' +
        '`redacted: true` when personal fields were removed for this key.',
    ),
    importId: z.number().int().nullable().describe('The import that made the change, if any.'),
  })
  .meta({ id: 'FeedItem', description: 'One event of the change feed.' });

export const ChangesQuerySchema = z.object({
  cursor: z
    .union([z.literal('now'), CursorSchema])
    .optional()
    .describe(
      'Where to continue: a `nextCursor`/`feedCursor`, or `now` for the head. Absent: the ' +
        'beginning of the log (410 once events were purged).',
    ),
  limit: limitSchema(100, 1000),
  uai: z
    .string()
    .regex(UAI_LIST, 'comma-separated UAIs')
    .optional()
    .describe('Only events concerning these establishments (comma-separated UAIs).'),
  types: z
    .string()
    .max(1000)
    .refine(
      (v) => v.split(',').every((t) => TYPE_ITEM.test(t)),
      `comma-separated <entity> or <entity>.<op>; entities: ${EVENT_ENTITIES.join(', ')}; ops: ${EVENT_OPS.join(', ')}`,
    )
    .optional()
    .describe('Only these event types: comma-separated `person`, `person.updated`, `membership`…'),
});

export const ChangesPageSchema = z
  .object({
    items: z.array(FeedItemSchema),
    nextCursor: z
      .string()
      .describe('Always present: pass it as `cursor` to continue (it moves past filtered events).'),
    hasMore: z.boolean().describe('False: you are at the head of the log; poll again later.'),
  })
  .meta({ id: 'ChangesPage' });
