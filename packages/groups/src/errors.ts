import { defineErrors } from '@aaf-sync/errors';

/** Managed groups (created through the API) and the year transition. */
export const GroupsErrors = defineErrors('GROUPS', {
  NOT_FOUND: {
    status: 404,
    message: 'no group {id}',
    description:
      'No group created through the API has that id in the establishments the key may see. ' +
      'AAF groups are read under /v1/groups; groups created through the API under /v1/managed-groups.',
  },
  DELETED: {
    status: 409,
    message: 'group {id} was deleted on {deletedAt}',
    description:
      'The group was deleted (by a manager, or at the end of its school year) and can no longer ' +
      'change. It stays readable; create a new group if it is still needed.',
  },
  NAME_TAKEN: {
    status: 409,
    message: 'a group named {name} already exists in {uai}',
    description:
      'Group names are unique per establishment (case-insensitive) among the groups not deleted. ' +
      'Choose another name or change the existing group.',
  },
  PERSON_NOT_IN_ESTABLISHMENT: {
    status: 422,
    message: 'persons {ids} are not active in {uai}',
    description:
      'Members and managers of a group must be active persons of its establishment (managers: ' +
      'staff). Check the person ids (`GET /v1/persons?uai=`).',
  },
  MANAGER_NOT_STAFF: {
    status: 422,
    message: 'persons {ids} cannot manage a group (managers are staff)',
    description: 'Only staff (teachers, administrative staff) may manage a group.',
  },
  NOT_EXTENSIBLE: {
    status: 409,
    message: 'group {id} cannot be extended: {reason}',
    description:
      'Only groups limited to the school year and created through the API can be extended ' +
      '(unlimited groups never expire; timetable groups are deleted at year end in every case).',
  },
  BAD_EXTENSION: {
    status: 422,
    message: 'cannot extend group {id} until {until}: {reason}',
    description:
      'An extension names a later school year than the one the group is limited to, at most ' +
      'the year after the current one (`YYYY-YYYY`, consecutive years).',
  },
});
