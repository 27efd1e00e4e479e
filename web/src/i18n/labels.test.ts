import { describe, expect, it } from 'vitest';
import {
  AGE_BAND_LABELS,
  CONTACT_ROLE_LABELS,
  CUSTODY_REASON_LABELS,
  DISPOSITION_LABELS,
  OPERATION_TYPE_LABELS,
  PARTICIPANT_ROLE_LABELS,
  SCREENING_TOOL_LABELS,
  SERVICE_LABELS,
} from '../../../common/operations.ts';
import { AGENCY_KIND_LABELS, ROLE_LABELS } from '../../../common/roles.ts';
import en from './en.json' with { type: 'json' };

/**
 * The server's documents and messages (after-action report, press releases, refusals) use the labels in common/;
 * the staff app shows the same words from en.json. This keeps the two from drifting apart.
 */
describe('vocabulary labels', () => {
  it.each([
    ['operations.types', en.operations.types, OPERATION_TYPE_LABELS],
    ['contactRoles', en.contactRoles, CONTACT_ROLE_LABELS],
    ['ageBands', en.ageBands, AGE_BAND_LABELS],
    ['dispositions', en.dispositions, DISPOSITION_LABELS],
    ['services', en.services, SERVICE_LABELS],
    ['custodyReasons', en.custodyReasons, CUSTODY_REASON_LABELS],
    ['screeningTools', en.screeningTools, SCREENING_TOOL_LABELS],
    ['participantRoles', en.participantRoles, PARTICIPANT_ROLE_LABELS],
    ['roles', en.roles, ROLE_LABELS],
    ['agencyKinds', en.agencyKinds, AGENCY_KIND_LABELS],
  ])('%s match common/', (_name, catalog, labels) => {
    expect(catalog).toEqual(labels);
  });
});
