import { ADVOCATES, AGENCY, CAST, CHILD_WELFARE, actor } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import type { TipStatus } from '../../../common/tips.ts';
import { tipPolicy, type TipRecord } from './tips.policy.ts';

const { leadCoordinator, leadAnalyst, leadOfficer, leadPio, leadAdmin, platform, partnerCoordinator, partnerAnalyst, partnerOfficer, advocate, caseworker, outsiderCoordinator } = CAST;
const prosecutorAnalyst = actor(['analyst'], { agencyId: 'agency-prosecutor', agencyKind: 'prosecutor', userId: 'u-prosecutor-analyst' });
const advocatesAnalyst = actor(['analyst'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocates-analyst' });
const childWelfareAnalyst = actor(['analyst'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-cw-analyst' });

/** A tip in the lead agency's queue, as one actor sees it. */
const tip = (opts: { status?: TipStatus; assignedUserId?: string | null; sharedWithActor?: boolean; agencyId?: string } = {}): TipRecord => ({
  id: 'tip-1',
  agencyId: opts.agencyId ?? AGENCY.lead,
  status: opts.status ?? 'new',
  assignedUserId: opts.assignedUserId ?? null,
  sharedWithActor: opts.sharedWithActor ?? false,
});

const table: Case<TipRecord>[] = [
  // tip.create: an act of the actor, on no record yet
  ['a police coordinator records a phoned-in tip', leadCoordinator, tip(), 'tip.create', true],
  ['a police officer records a phoned-in tip', leadOfficer, tip(), 'tip.create', true],
  ['a prosecutor’s analyst records one', prosecutorAnalyst, tip(), 'tip.create', true],
  ['a partner agency’s analyst records one in their own agency', partnerAnalyst, tip(), 'tip.create', true],
  ['an advocates’ analyst does not take tips', advocatesAnalyst, tip(), 'tip.create', false],
  ['a child-welfare analyst does not take tips', childWelfareAnalyst, tip(), 'tip.create', false],
  ['a PIO does not take tips', leadPio, tip(), 'tip.create', false],
  ['an administrator does not take tips', leadAdmin, tip(), 'tip.create', false],

  // tip.read
  ['the queue’s coordinator reads', leadCoordinator, tip(), 'tip.read', true],
  ['the queue’s analyst reads', leadAnalyst, tip(), 'tip.read', true],
  ['the queue’s officer reads', leadOfficer, tip(), 'tip.read', true],
  ['a partner’s analyst reads a tip shared with their agency', partnerAnalyst, tip({ sharedWithActor: true }), 'tip.read', true],
  ['a partner’s analyst does not read another agency’s tip', partnerAnalyst, tip(), 'tip.read', false],
  ['a partner’s coordinator does not read another agency’s tip', partnerCoordinator, tip(), 'tip.read', false],
  ['an outsider does not read it', outsiderCoordinator, tip(), 'tip.read', false],
  ['an advocate does not read it, shared or not', advocate, tip({ sharedWithActor: true }), 'tip.read', false],
  ['a caseworker does not read it', caseworker, tip(), 'tip.read', false],
  ['the PIO does not read it', leadPio, tip(), 'tip.read', false],
  ['the administrator does not read case content by role', leadAdmin, tip(), 'tip.read', false],
  ['the platform administrator does not read it', platform, tip(), 'tip.read', false],
  ['a partner officer assigned before a reroute does not read it', partnerOfficer, tip({ assignedUserId: partnerOfficer.userId }), 'tip.read', false],

  // tip.readContact
  ['the queue’s analyst reads the tipster’s contact', leadAnalyst, tip(), 'tip.readContact', true],
  ['the handler reads the tipster’s contact', leadOfficer, tip({ assignedUserId: leadOfficer.userId }), 'tip.readContact', true],
  ['an officer not handling it does not', leadOfficer, tip(), 'tip.readContact', false],
  ['a sharing partner never does', partnerAnalyst, tip({ sharedWithActor: true }), 'tip.readContact', false],

  // tip.assign
  ['the queue’s coordinator assigns', leadCoordinator, tip(), 'tip.assign', true],
  ['the queue’s analyst assigns', leadAnalyst, tip(), 'tip.assign', true],
  ['the handler, an officer, does not reassign', leadOfficer, tip({ assignedUserId: leadOfficer.userId }), 'tip.assign', false],
  ['a sharing partner’s coordinator does not assign', partnerCoordinator, tip({ sharedWithActor: true }), 'tip.assign', false],

  // tip.triage
  ['the handler moves it along', leadOfficer, tip({ status: 'assigned', assignedUserId: leadOfficer.userId }), 'tip.triage', true],
  ['the queue’s coordinator moves it along', leadCoordinator, tip({ status: 'under_review' }), 'tip.triage', true],
  ['an officer not handling it does not', leadOfficer, tip({ status: 'assigned' }), 'tip.triage', false],
  ['a sharing partner’s analyst does not', partnerAnalyst, tip({ sharedWithActor: true }), 'tip.triage', false],

  // tip.reroute and tip.share: open tips, by the queue's staff
  ['the queue’s coordinator reroutes an open tip', leadCoordinator, tip({ status: 'under_review' }), 'tip.reroute', true],
  ['nobody reroutes a closed tip', leadCoordinator, tip({ status: 'closed' }), 'tip.reroute', false],
  ['a sharing partner does not reroute', partnerCoordinator, tip({ sharedWithActor: true }), 'tip.reroute', false],
  ['the queue’s analyst shares an open tip', leadAnalyst, tip(), 'tip.share', true],
  ['nobody shares a closed tip', leadAnalyst, tip({ status: 'closed' }), 'tip.share', false],
  ['a sharing partner does not share it on', partnerAnalyst, tip({ sharedWithActor: true }), 'tip.share', false],

  // tip.message
  ['the queue’s analyst writes to the tipster', leadAnalyst, tip(), 'tip.message', true],
  ['the handler writes to the tipster', leadOfficer, tip({ assignedUserId: leadOfficer.userId }), 'tip.message', true],
  ['a sharing partner does not write to the tipster', partnerAnalyst, tip({ sharedWithActor: true }), 'tip.message', false],
  ['an officer not handling it does not', leadOfficer, tip(), 'tip.message', false],
];

describePolicyTable('tipPolicy', tipPolicy, table, {
  noCrossAgencyDeny: { 'tip.create': 'Recording a tip is the actor’s own act in their own agency: there is no other agency’s record to refuse.' },
});
