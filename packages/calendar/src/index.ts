export { fakeClock, systemClock, type Clock, type FakeClock } from './clock.js';
export { CalendarErrors } from './errors.js';
export {
  CALENDAR_FORMAT,
  CalendarDocumentBase,
  CalendarDocumentSchema,
  CalendarTargetKind,
  LocalDate,
  LocalWhen,
  Profile,
  TargetName,
  type BlockingRule,
  type CalendarDocument,
  type CalendarDocumentInput,
  type Campaign,
  type FeedWindow,
} from './document.schema.js';
export { parseCalendarDocument, type DocumentIssue } from './document.js';
export { diffDocuments, type DocumentChange } from './document-diff.js';
export { CALENDAR_TARGET_KINDS, CAMPAIGN_KINDS, PROFILES, type CampaignKind } from './kinds.js';
export {
  addDays,
  isTimeZone,
  isValidLocalWhen,
  localDateOf,
  localToInstant,
  localWhenOf,
  weekdayOf,
  WEEKDAYS,
  type Weekday,
} from './local-time.js';
export {
  expectedDeliveries,
  expectedOn,
  isDeliveryMissing,
  missingDeliveries,
  type DeliveryKind,
  type ExpectedDelivery,
  type ReceivedDelivery,
} from './deliveries.js';
export {
  consumerWindow,
  targetWindow,
  type FeedConsumer,
  type ResolvedWindow,
} from './feed-windows.js';
export { feedState, type FeedFacts, type FeedState, type FeedStateName } from './feed-state.js';
export {
  blockingState,
  effectiveBlockings,
  validateBlockingOverride,
  type BlockingOverride,
  type BlockingState,
  type EffectiveBlocking,
} from './blocking.js';
export {
  allTransitions,
  compareTransitions,
  MAX_PERIOD_DAYS,
  pendingTransitions,
  TRANSITION_TYPES,
  transitionsBetween,
  type Transition,
  type TransitionOptions,
  type TransitionScope,
  type TransitionType,
} from './transitions.js';
