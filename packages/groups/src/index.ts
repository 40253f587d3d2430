export { GroupsErrors } from './errors.js';
export {
  groupEffects,
  deleteYearLimitedGroups,
  summariseDeletedGroups,
  warnGroupManagers,
} from './group-effects.js';
export {
  createManagedGroup,
  deleteManagedGroup,
  extendManagedGroup,
  getManagedGroup,
  setGroupPeople,
  updateManagedGroup,
  viewsOf,
  type Actor,
  type CreateManagedGroupInput,
  type UpdateManagedGroupInput,
} from './managed-groups.js';
export {
  listManagedGroups,
  type GroupScope,
  type ListManagedGroupsFilter,
} from './managed-group.repository.js';
export {
  expiryOf,
  type GroupPersonView,
  type ManagedGroupDetail,
  type ManagedGroupView,
} from './managed-group-view.js';
export {
  isSchoolYear,
  nextSchoolYear,
  previousSchoolYear,
  schoolYearOf,
  SCHOOL_YEAR_PATTERN,
} from './school-year.js';
export {
  runYearTransition,
  yearTransitionReport,
  type YearTransitionOptions,
  type YearTransitionReport,
  type YearTransitionResult,
} from './year-transition.js';
export { yearTransitionTick } from './year-transition-tick.js';
