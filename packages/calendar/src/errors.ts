import { defineErrors } from '@aaf-sync/errors';

/** The calendar's error catalogue (document validation, establishment overrides, storage). */
export const CalendarErrors = defineErrors('CALENDAR', {
  INVALID_DOCUMENT: {
    status: 400,
    message: 'invalid calendar document: {summary}',
    description:
      'The calendar document does not match its format or its dates contradict each other ' +
      '(`issues` lists every problem with its path). Nothing was stored; fix the document (see the ' +
      'packages/calendar README and the shipped example) and send it again.',
  },
  NOT_SET: {
    status: 404,
    message: 'no calendar document has been stored yet',
    description:
      'Nothing in the calendar applies until an administrator stores a document (`PUT /v1/calendar` ' +
      'or `pnpm aaf-sync calendar set --file`). The shipped example is a good start.',
  },
  VERSION_CONFLICT: {
    status: 409,
    message: 'the calendar is at version {current}, not {expected}',
    description:
      'The change was prepared against an older version of the calendar and somebody changed it ' +
      'since. Read the current document, apply the change again, and send it with the new version.',
  },
  BAD_PERIOD: {
    status: 400,
    message: 'invalid period: {reason}',
    description:
      'A period must end after it starts and span at most 400 days. Give `from` before `to`.',
  },
  NO_BLOCKING: {
    status: 409,
    message: 'the calendar defines no rentrée blocking to adjust',
    description:
      'Establishments can only adjust a rentrée blocking that the académie calendar defines. Ask ' +
      'the administrators to add one to the calendar document.',
  },
  OVERRIDE_EMPTY: {
    status: 400,
    message: 'the override changes nothing: give a start, an end or a message',
    description: 'An establishment override must change the start, the end or the message.',
  },
  BLOCKING_START_AFTER_END: {
    status: 400,
    message: 'the blocking would start ({start}) after it ends ({end})',
    description:
      'After the override the blocking must end at or after its start (ending it at its start ' +
      'lifts it entirely). Give dates in the right order.',
  },
  BLOCKING_END_TOO_EARLY: {
    status: 422,
    message: 'the blocking of {profiles} may not end before {limit} (asked {end})',
    description:
      'The académie allows establishments to lift the rentrée blocking early or shorten it, but not ' +
      'before `limits.earliestEnd`. Choose a later end, or ask the académie to move the limit.',
  },
  BLOCKING_END_TOO_LATE: {
    status: 422,
    message: 'the blocking of {profiles} may not end after {limit} (asked {end})',
    description:
      'The académie allows establishments to extend the rentrée blocking up to `limits.latestEnd` ' +
      'only. Choose an earlier end, or ask the académie to move the limit.',
  },
  BLOCKING_START_OUTSIDE_LIMITS: {
    status: 422,
    message:
      'the blocking of {profiles} must start between {earliest} and {latest} (asked {start})',
    description:
      'An establishment may move the start of the rentrée blocking only within ' +
      '`limits.earliestStart`..`limits.latestStart`.',
  },
  MESSAGE_LOCKED: {
    status: 422,
    message: 'the message of the blocking of {profiles} may not be changed by establishments',
    description:
      'The académie calendar sets `limits.messageChange` to false: the message shown to blocked ' +
      'users is the académie one. Send the override without a message.',
  },
  MESSAGE_TOO_LONG: {
    status: 422,
    message: 'the message is {length} characters long; at most {max} are allowed',
    description: 'Shorten the message to `limits.messageMaxLength` characters.',
  },
});
