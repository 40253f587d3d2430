import { defineErrors } from '@aaf-sync/errors';

/** Errors of the rentrée blocking effects and the deletion campaigns. */
export const LifecycleErrors = defineErrors('LIFECYCLE', {
  CAMPAIGN_NOT_FOUND: {
    status: 404,
    message: 'campaign {id} not found',
    description:
      'No campaign with this id has been previewed yet. Campaigns appear on their preview date ' +
      '(`campaign.preview` transition of the calendar) or with `pnpm aaf-sync campaign preview`; ' +
      'list them with `GET /v1/campaigns`.',
  },
  CAMPAIGN_NOT_IN_CALENDAR: {
    status: 404,
    message: 'the calendar has no campaign {name}',
    description:
      'The current calendar document does not declare this campaign (its `campaigns[].id`). ' +
      'Check the name with `pnpm aaf-sync calendar show` or the document.',
  },
  APPROVAL_NOT_REQUIRED: {
    status: 409,
    message: 'campaign {id} ({kind}) does not take approvals',
    description:
      'Only campaigns whose calendar entry has `approval: establishment` (departed staff) wait ' +
      'for the establishments; the others run on their date without one.',
  },
  NOTHING_TO_APPROVE: {
    status: 409,
    message: 'campaign {id} lists nobody in {uai}',
    description:
      'The campaign has no item in this establishment: there is nothing to approve. Read the ' +
      'list with `GET /v1/campaigns/{id}/preview?uai=`.',
  },
});
