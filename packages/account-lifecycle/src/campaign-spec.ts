import { localToInstant, type CalendarDocument, type CampaignKind } from '@aaf-sync/calendar';
import { LifecycleErrors } from './errors.js';

/** A campaign of the calendar document with its dates resolved, for one school year. */
export interface CampaignSpec {
  readonly schoolYear: string;
  /** The campaign id in the document (`scribe-departed-pupils`). */
  readonly name: string;
  readonly kind: CampaignKind;
  readonly targetKind: string;
  /** Only this target of the kind (null: every target of the kind). */
  readonly targetName: string | null;
  readonly approval: 'none' | 'establishment';
  readonly previewAt: Date;
  readonly runAt: Date;
}

/** The campaign `name` of the document (LIFECYCLE_ERR_CAMPAIGN_NOT_IN_CALENDAR if absent). */
export function campaignSpec(doc: CalendarDocument, name: string): CampaignSpec {
  const c = doc.campaigns.find((x) => x.id === name);
  if (!c) throw LifecycleErrors.CAMPAIGN_NOT_IN_CALENDAR({ name });
  return {
    schoolYear: doc.schoolYear,
    name: c.id,
    kind: c.kind,
    targetKind: c.targetKind,
    targetName: c.target ?? null,
    approval: c.approval,
    previewAt: localToInstant(c.previewOn, doc.timeZone),
    runAt: localToInstant(c.runOn, doc.timeZone),
  };
}
