import { AGENCY, CAST, TASK_FORCE, actor } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { describe, expect, it } from 'vitest';
import { approvalKind } from './press-releases.access.ts';
import { pressReleasePolicy, type PressReleaseRecord } from './press-releases.policy.ts';

const { platform, leadAdmin, leadCoordinator, leadOfficer, leadAnalyst, leadPio, partnerCoordinator, partnerOfficer, partnerAnalyst, partnerPio, outsiderPio } = CAST;
/** One person holding both roles in the lead agency: never both approvals. */
const leadPioCoordinator = actor(['pio', 'coordinator'], { userId: 'u-lead-pio-coordinator' });

/** A release of the lead agency's operation in the shared task force. */
const release = (status: PressReleaseRecord['status'], approvedBy: Partial<PressReleaseRecord['approvedBy']> = {}): PressReleaseRecord => ({
  agencyId: AGENCY.lead,
  taskForceId: TASK_FORCE.shared,
  status,
  approvedBy: { pio: approvedBy.pio ?? null, coordinator: approvedBy.coordinator ?? null },
});
const draft = release('draft');
const published = release('published', { pio: leadPio.userId, coordinator: leadCoordinator.userId });
const bothApproved = release('draft', { pio: partnerPio.userId, coordinator: leadCoordinator.userId });

const table: Case<PressReleaseRecord>[] = [
  // drafting and reading: the task force's PIOs and the lead agency's coordinators
  ['lead PIO drafts', leadPio, draft, 'pressRelease.create', true],
  ['partner PIO drafts (same task force)', partnerPio, draft, 'pressRelease.create', true],
  ['lead coordinator drafts', leadCoordinator, draft, 'pressRelease.create', true],
  ['partner coordinator does not draft the lead’s release', partnerCoordinator, draft, 'pressRelease.create', false],
  ['partner officer does not draft', partnerOfficer, draft, 'pressRelease.create', false],
  ['outsider PIO does not draft', outsiderPio, draft, 'pressRelease.create', false],
  ['platform admin does not draft', platform, draft, 'pressRelease.create', false],
  ['partner PIO reads', partnerPio, published, 'pressRelease.read', true],
  ['lead coordinator reads', leadCoordinator, draft, 'pressRelease.read', true],
  ['partner coordinator does not read', partnerCoordinator, draft, 'pressRelease.read', false],
  ['partner analyst does not read', partnerAnalyst, draft, 'pressRelease.read', false],
  ['lead analyst does not read', leadAnalyst, draft, 'pressRelease.read', false],
  ['lead officer does not read', leadOfficer, draft, 'pressRelease.read', false],
  ['lead admin does not read', leadAdmin, draft, 'pressRelease.read', false],
  ['outsider PIO does not read', outsiderPio, draft, 'pressRelease.read', false],

  // editing a draft
  ['partner PIO edits a draft', partnerPio, draft, 'pressRelease.update', true],
  ['lead coordinator edits a draft', leadCoordinator, bothApproved, 'pressRelease.update', true],
  ['no one edits a published release', leadPio, published, 'pressRelease.update', false],
  ['partner coordinator does not edit', partnerCoordinator, draft, 'pressRelease.update', false],

  // approving: one PIO and one lead coordinator, two different people
  ['lead PIO approves a fresh draft', leadPio, draft, 'pressRelease.approve', true],
  ['partner PIO approves a fresh draft', partnerPio, draft, 'pressRelease.approve', true],
  ['lead coordinator approves a fresh draft', leadCoordinator, draft, 'pressRelease.approve', true],
  ['partner coordinator does not approve the lead’s release', partnerCoordinator, draft, 'pressRelease.approve', false],
  ['partner analyst does not approve', partnerAnalyst, draft, 'pressRelease.approve', false],
  ['outsider PIO does not approve', outsiderPio, draft, 'pressRelease.approve', false],
  ['a second PIO approval is refused', partnerPio, release('draft', { pio: leadPio.userId }), 'pressRelease.approve', false],
  ['a second coordinator approval is refused', leadCoordinator, release('draft', { coordinator: 'u-other-coordinator' }), 'pressRelease.approve', false],
  ['the coordinator approves after a PIO', leadCoordinator, release('draft', { pio: leadPio.userId }), 'pressRelease.approve', true],
  ['a PIO approves after the coordinator', partnerPio, release('draft', { coordinator: leadCoordinator.userId }), 'pressRelease.approve', true],
  ['the PIO who also coordinates does not give the second approval', leadPioCoordinator, release('draft', { pio: leadPioCoordinator.userId }), 'pressRelease.approve', false],
  ['the coordinator who is also PIO does not give the second approval', leadPioCoordinator, release('draft', { coordinator: leadPioCoordinator.userId }), 'pressRelease.approve', false],
  ['a PIO-coordinator approves a fresh draft', leadPioCoordinator, draft, 'pressRelease.approve', true],
  ['no approval of a published release', leadCoordinator, release('published'), 'pressRelease.approve', false],

  // which approval: the abilities the web app offers as buttons
  ['lead PIO approves as PIO', leadPio, draft, 'pressRelease.approveAsPio', true],
  ['partner PIO approves as PIO', partnerPio, draft, 'pressRelease.approveAsPio', true],
  ['lead PIO does not approve as coordinator', leadPio, draft, 'pressRelease.approveAsCoordinator', false],
  ['lead coordinator approves as coordinator', leadCoordinator, draft, 'pressRelease.approveAsCoordinator', true],
  ['lead coordinator does not approve as PIO', leadCoordinator, draft, 'pressRelease.approveAsPio', false],
  ['partner coordinator does not approve as coordinator', partnerCoordinator, draft, 'pressRelease.approveAsCoordinator', false],
  ['partner coordinator does not approve as PIO', partnerCoordinator, draft, 'pressRelease.approveAsPio', false],
  ['outsider PIO does not approve as PIO', outsiderPio, draft, 'pressRelease.approveAsPio', false],
  ['PIO-coordinator may give either on a fresh draft (as PIO)', leadPioCoordinator, draft, 'pressRelease.approveAsPio', true],
  ['PIO-coordinator may give either on a fresh draft (as coordinator)', leadPioCoordinator, draft, 'pressRelease.approveAsCoordinator', true],
  ['PIO-coordinator who approved as PIO may not as coordinator', leadPioCoordinator, release('draft', { pio: leadPioCoordinator.userId }), 'pressRelease.approveAsCoordinator', false],
  ['PIO-coordinator who approved as coordinator may not as PIO', leadPioCoordinator, release('draft', { coordinator: leadPioCoordinator.userId }), 'pressRelease.approveAsPio', false],
  ['the PIO approval given, a PIO approves no more', leadPio, release('draft', { pio: partnerPio.userId }), 'pressRelease.approveAsPio', false],
  ['the coordinator approval given, a coordinator approves no more', leadCoordinator, release('draft', { coordinator: 'u-other' }), 'pressRelease.approveAsCoordinator', false],
  ['no PIO approval of a published release', leadPio, release('published'), 'pressRelease.approveAsPio', false],
  ['no coordinator approval of a published release', leadCoordinator, release('published'), 'pressRelease.approveAsCoordinator', false],

  // publishing: a PIO, once both approved
  ['partner PIO publishes when both approved', partnerPio, bothApproved, 'pressRelease.publish', true],
  ['lead PIO publishes when both approved', leadPio, bothApproved, 'pressRelease.publish', true],
  ['no publishing with the PIO approval missing', leadPio, release('draft', { coordinator: leadCoordinator.userId }), 'pressRelease.publish', false],
  ['no publishing with the coordinator approval missing', leadPio, release('draft', { pio: partnerPio.userId }), 'pressRelease.publish', false],
  ['no publishing twice', leadPio, published, 'pressRelease.publish', false],
  ['the lead coordinator does not publish', leadCoordinator, bothApproved, 'pressRelease.publish', false],
  ['partner coordinator does not publish', partnerCoordinator, bothApproved, 'pressRelease.publish', false],
  ['outsider PIO does not publish', outsiderPio, bothApproved, 'pressRelease.publish', false],

  // corrections
  ['partner PIO corrects a published release', partnerPio, published, 'pressRelease.correct', true],
  ['a draft is edited, not corrected', leadPio, draft, 'pressRelease.correct', false],
  ['the lead coordinator does not correct', leadCoordinator, published, 'pressRelease.correct', false],
  ['partner coordinator does not correct', partnerCoordinator, published, 'pressRelease.correct', false],
  ['outsider PIO does not correct', outsiderPio, published, 'pressRelease.correct', false],
];

describePolicyTable('pressReleasePolicy', pressReleasePolicy, table);

describe('approvalKind: the approval an approve request gives', () => {
  it('gives the kind asked for when it is open to the actor, and none otherwise', () => {
    expect(approvalKind(leadPio, draft, 'pio')).toBe('pio');
    expect(approvalKind(leadPio, draft, 'coordinator')).toBeNull();
    expect(approvalKind(leadCoordinator, draft, 'coordinator')).toBe('coordinator');
    expect(approvalKind(leadCoordinator, draft, 'pio')).toBeNull();
    expect(approvalKind(partnerCoordinator, draft, 'coordinator')).toBeNull();
  });
  it('asked for none, gives the coordinator’s if open, else the PIO’s', () => {
    expect(approvalKind(leadPioCoordinator, draft, undefined)).toBe('coordinator');
    expect(approvalKind(leadPioCoordinator, release('draft', { coordinator: 'u-other' }), undefined)).toBe('pio');
    expect(approvalKind(leadPio, draft, undefined)).toBe('pio');
    expect(approvalKind(leadCoordinator, draft, undefined)).toBe('coordinator');
    expect(approvalKind(partnerCoordinator, draft, undefined)).toBeNull();
  });
  it('never gives the second approval to the person who gave the first', () => {
    expect(approvalKind(leadPioCoordinator, release('draft', { pio: leadPioCoordinator.userId }), undefined)).toBeNull();
    expect(approvalKind(leadPioCoordinator, release('draft', { coordinator: leadPioCoordinator.userId }), 'pio')).toBeNull();
  });
});
