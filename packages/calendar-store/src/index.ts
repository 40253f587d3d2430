export {
  listCalendarVersions,
  loadCalendar,
  loadCalendarVersion,
  requireCalendar,
  saveCalendar,
  type CalendarVersionSummary,
  type SaveCalendarInput,
  type SaveCalendarResult,
  type StoredCalendar,
} from './calendar-store.js';
export {
  clearBlockingOverride,
  establishmentBlocking,
  loadBlockingOverrides,
  setBlockingOverride,
  type EstablishmentBlocking,
  type StoredOverride,
} from './blocking-overrides.js';
export { upcomingTransitions, type Upcoming, type UpcomingOptions } from './upcoming.js';
export {
  deliveryReport,
  establishmentFeed,
  type ConsumerFeed,
  type DeliveryStatus,
  type EstablishmentFeed,
} from './feed-report.js';
export { directoryFeedSuspended } from './directory-feed.js';
