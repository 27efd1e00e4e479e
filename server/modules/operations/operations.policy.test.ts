import type { Action } from '../../../common/actions.ts';
import type { OperationStatus } from '../../../common/operations.ts';
import { AGENCY, CAST, TASK_FORCE } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { operationPolicy, type OperationRecord } from './operations.policy.ts';

const { platform, leadAdmin, leadCoordinator, leadOfficer, leadAnalyst, leadPio, partnerCoordinator, partnerOfficer, partnerAnalyst, partnerPio, advocate, caseworker, outsiderCoordinator, outsiderPio } =
  CAST;

/** The lead agency's operation in the shared task force, as one actor sees it (`assigned` is theirs). */
const op = (status: OperationStatus, opts: { assigned?: boolean; commander?: string | null; agencyId?: string; taskForceId?: string } = {}): OperationRecord => ({
  id: 'op-1',
  agencyId: opts.agencyId ?? AGENCY.lead,
  taskForceId: opts.taskForceId ?? TASK_FORCE.shared,
  status,
  assigned: opts.assigned ?? false,
  commanderUserId: opts.commander ?? null,
});
const assigned = (status: OperationStatus, opts: Parameters<typeof op>[1] = {}) => op(status, { ...opts, assigned: true });

/** A transition allowed in exactly one status (or all but one): the lead coordinator, in each status. */
const onlyIn = (action: Action, statuses: readonly OperationStatus[]): Case<OperationRecord>[] =>
  (['draft', 'approved', 'active', 'closed'] as const).map((s) => [`lead coordinator, ${s}: ${action}`, leadCoordinator, op(s), action, statuses.includes(s)]);

const table: Case<OperationRecord>[] = [
  // planning: the record is the plan-to-be
  ['lead coordinator plans for the lead agency', leadCoordinator, op('draft'), 'operation.create', true],
  ['partner coordinator plans for their own agency', partnerCoordinator, op('draft', { agencyId: AGENCY.partner }), 'operation.create', true],
  ['partner coordinator cannot plan in the lead agency’s name', partnerCoordinator, op('draft'), 'operation.create', false],
  ['outsider coordinator cannot plan in a task force they are not in', outsiderCoordinator, op('draft', { agencyId: AGENCY.outsider }), 'operation.create', false],
  ['officer cannot plan', leadOfficer, op('draft'), 'operation.create', false],
  ['analyst cannot plan', leadAnalyst, op('draft'), 'operation.create', false],
  ['platform admin cannot plan by that alone', platform, op('draft'), 'operation.create', false],

  // reading: assigned users, and the task force's coordinators, analysts and PIOs
  ['assigned officer reads', leadOfficer, assigned('active'), 'operation.read', true],
  ['assigned partner officer reads', partnerOfficer, assigned('active'), 'operation.read', true],
  ['unassigned lead officer does not read', leadOfficer, op('active'), 'operation.read', false],
  ['unassigned partner officer does not read', partnerOfficer, op('active'), 'operation.read', false],
  ['partner coordinator reads the task force’s operation', partnerCoordinator, op('draft'), 'operation.read', true],
  ['partner analyst reads the task force’s operation', partnerAnalyst, op('closed'), 'operation.read', true],
  ['partner PIO reads the task force’s operation', partnerPio, op('active'), 'operation.read', true],
  ['outsider coordinator does not read another task force’s operation', outsiderCoordinator, op('active'), 'operation.read', false],
  ['outsider PIO does not read another task force’s operation', outsiderPio, op('active'), 'operation.read', false],
  ['advocate does not read by role', advocate, op('active'), 'operation.read', false],
  ['caseworker does not read by role', caseworker, op('active'), 'operation.read', false],
  ['agency admin does not read by role', leadAdmin, op('active'), 'operation.read', false],
  ['platform admin does not read by that alone', platform, op('active'), 'operation.read', false],

  // editing the plan: the lead agency's coordinators, while planning
  ['lead coordinator edits a draft', leadCoordinator, op('draft'), 'operation.update', true],
  ['lead coordinator edits an approved plan', leadCoordinator, op('approved'), 'operation.update', true],
  ['lead coordinator does not edit a running operation', leadCoordinator, op('active'), 'operation.update', false],
  ['lead coordinator does not edit a closed operation', leadCoordinator, op('closed'), 'operation.update', false],
  ['partner coordinator does not edit the lead’s operation', partnerCoordinator, op('draft'), 'operation.update', false],
  ['assigned partner coordinator does not edit it either', partnerCoordinator, assigned('draft'), 'operation.update', false],
  ['assigned lead officer does not edit', leadOfficer, assigned('draft'), 'operation.update', false],

  // assigning
  ['lead coordinator assigns while not closed', leadCoordinator, op('active'), 'operation.assign', true],
  ['lead coordinator assigns to a draft', leadCoordinator, op('draft'), 'operation.assign', true],
  ['lead coordinator assigns to an approved plan', leadCoordinator, op('approved'), 'operation.assign', true],
  ['lead coordinator does not assign to a closed operation', leadCoordinator, op('closed'), 'operation.assign', false],
  ['partner coordinator does not assign in the lead’s operation', partnerCoordinator, op('draft'), 'operation.assign', false],
  ['assigned officer does not assign', leadOfficer, assigned('draft'), 'operation.assign', false],

  // transitions
  ...onlyIn('operation.approve', ['draft']),
  ['partner coordinator does not approve the lead’s operation', partnerCoordinator, op('draft'), 'operation.approve', false],
  ['lead officer does not approve', leadOfficer, assigned('draft'), 'operation.approve', false],
  ...onlyIn('operation.activate', ['approved']),
  ['the on-scene commander activates an approved operation', partnerOfficer, assigned('approved', { commander: partnerOfficer.userId }), 'operation.activate', true],
  ['a commander no longer assigned does not activate (issue #7, finding 6)', partnerOfficer, op('approved', { commander: partnerOfficer.userId }), 'operation.activate', false],
  ['the on-scene commander does not activate a draft', partnerOfficer, assigned('draft', { commander: partnerOfficer.userId }), 'operation.activate', false],
  ['partner coordinator does not activate the lead’s operation', partnerCoordinator, op('approved'), 'operation.activate', false],
  ['another officer than the commander does not activate', leadOfficer, assigned('approved', { commander: partnerOfficer.userId }), 'operation.activate', false],
  ...onlyIn('operation.close', ['active']),
  ['partner coordinator does not close the lead’s operation', partnerCoordinator, op('active'), 'operation.close', false],
  ['the on-scene commander does not close', partnerOfficer, assigned('active', { commander: partnerOfficer.userId }), 'operation.close', false],
  ...onlyIn('operation.correct', ['closed']),
  ['partner coordinator does not correct the lead’s operation', partnerCoordinator, op('closed'), 'operation.correct', false],
  ['assigned officer does not correct', leadOfficer, assigned('closed'), 'operation.correct', false],
  ...onlyIn('operation.waive', ['approved']),
  ['partner coordinator does not waive the lead’s conflicts', partnerCoordinator, op('approved'), 'operation.waive', false],
  ...onlyIn('operation.resolveConflict', ['draft', 'approved', 'active']),
  ['partner coordinator does not resolve the lead’s conflicts', partnerCoordinator, op('active'), 'operation.resolveConflict', false],
  ['assigned analyst does not resolve conflicts', leadAnalyst, assigned('active'), 'operation.resolveConflict', false],

  // the briefing: the assigned, no one else
  ['assigned partner officer reads the briefing', partnerOfficer, assigned('approved'), 'operation.readBriefing', true],
  ['unassigned lead coordinator does not read the briefing', leadCoordinator, op('approved'), 'operation.readBriefing', false],
  ['unassigned partner coordinator does not read the briefing', partnerCoordinator, op('approved'), 'operation.readBriefing', false],

  // the field log
  ['assigned partner officer records while active', partnerOfficer, assigned('active'), 'operation.recordContact', true],
  ['assigned lead coordinator records while active', leadCoordinator, assigned('active'), 'operation.recordContact', true],
  ['assigned officer does not record before activation', leadOfficer, assigned('approved'), 'operation.recordContact', false],
  ['assigned officer does not record after closing', leadOfficer, assigned('closed'), 'operation.recordContact', false],
  ['assigned analyst does not record', partnerAnalyst, assigned('active'), 'operation.recordContact', false],
  ['unassigned partner officer does not record', partnerOfficer, op('active'), 'operation.recordContact', false],
  ['unassigned lead coordinator does not record', leadCoordinator, op('active'), 'operation.recordContact', false],

  // person-level records: the assigned, and the lead agency's coordinators and analysts
  ['assigned partner officer reads the contacts', partnerOfficer, assigned('active'), 'operation.readContacts', true],
  ['lead coordinator reads the contacts', leadCoordinator, op('closed'), 'operation.readContacts', true],
  ['lead analyst reads the contacts', leadAnalyst, op('closed'), 'operation.readContacts', true],
  ['partner coordinator does not read the lead’s contacts', partnerCoordinator, op('active'), 'operation.readContacts', false],
  ['partner analyst does not read the lead’s contacts', partnerAnalyst, op('closed'), 'operation.readContacts', false],
  ['lead PIO does not read persons', leadPio, op('closed'), 'operation.readContacts', false],
  ['unassigned lead officer does not read the contacts', leadOfficer, op('active'), 'operation.readContacts', false],

  // the outcome: counts, for anyone who sees the operation
  ['partner PIO reads the outcome', partnerPio, op('closed'), 'operation.readOutcome', true],
  ['partner analyst reads the outcome', partnerAnalyst, op('closed'), 'operation.readOutcome', true],
  ['assigned officer reads the outcome', leadOfficer, assigned('active'), 'operation.readOutcome', true],
  ['unassigned partner officer does not read the outcome', partnerOfficer, op('closed'), 'operation.readOutcome', false],
  ['outsider PIO does not read the outcome', outsiderPio, op('closed'), 'operation.readOutcome', false],

  // its press releases: the task force's PIOs and the lead agency's coordinators
  ['partner PIO writes the operation’s releases', partnerPio, op('closed'), 'pressRelease.create', true],
  ['lead coordinator writes the operation’s releases', leadCoordinator, op('active'), 'pressRelease.create', true],
  ['partner coordinator does not write the lead’s releases', partnerCoordinator, op('closed'), 'pressRelease.create', false],
  ['lead analyst does not write releases', leadAnalyst, op('closed'), 'pressRelease.create', false],
  ['outsider PIO does not write another task force’s releases', outsiderPio, op('closed'), 'pressRelease.create', false],

  ['no rule for other modules’ actions', leadCoordinator, op('active'), 'contact.read', false],
];

describePolicyTable('operationPolicy', operationPolicy, table);
