import type { Action } from '../../../common/actions.ts';
import type { TaskForceRow } from '../../db/schema/index.ts';
import { actor, AGENCY, TASK_FORCE } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { taskForcePolicy } from './task-forces.policy.ts';

const taskForce = (id: string, leadAgencyId: string): TaskForceRow => ({
  id,
  agency_id: leadAgencyId,
  name: id,
  description: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});
const shared = taskForce(TASK_FORCE.shared, AGENCY.lead);
const other = taskForce(TASK_FORCE.other, AGENCY.outsider);

const platform = actor(['admin'], { platformAdmin: true });
const leadCoordinator = actor(['coordinator']);
const leadAdmin = actor(['admin']);
const leadOfficer = actor(['officer']);
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner });
const partnerAdmin = actor(['admin'], { agencyId: AGENCY.partner });
const partnerAnalyst = actor(['analyst'], { agencyId: AGENCY.partner });
const outsiderCoordinator = actor(['coordinator'], { agencyId: AGENCY.outsider });
const managing: Action[] = ['taskForce.update', 'taskForce.addAgency', 'taskForce.removeAgency'];

type Row = Case<TaskForceRow | null>;
const table: Row[] = [
  ['platform admin forms a task force', platform, null, 'taskForce.create', true],
  ['coordinator cannot form one', leadCoordinator, null, 'taskForce.create', false],
  ['agency admin cannot form one', leadAdmin, null, 'taskForce.create', false],
  ['member agency officer reads it', leadOfficer, shared, 'taskForce.read', true],
  ['partner coordinator reads it', partnerCoordinator, shared, 'taskForce.read', true],
  ['outsider cannot read it', outsiderCoordinator, shared, 'taskForce.read', false],
  ['outsider reads their own', outsiderCoordinator, other, 'taskForce.read', true],
  ['platform admin reads any', platform, other, 'taskForce.read', true],
  ['read needs a record', leadOfficer, null, 'taskForce.read', false],
  ['partner admin cannot form one', partnerAdmin, null, 'taskForce.create', false],
  ['partner analyst reads the shared task force', partnerAnalyst, shared, 'taskForce.read', true],
  ['partner coordinator cannot read a task force their agency is not in', partnerCoordinator, other, 'taskForce.read', false],
  ['lead officer reads the partners\' contacts', leadOfficer, shared, 'taskForce.readContacts', true],
  ['partner analyst reads the partners\' contacts', partnerAnalyst, shared, 'taskForce.readContacts', true],
  ['partner coordinator reads the partners\' contacts', partnerCoordinator, shared, 'taskForce.readContacts', true],
  ['outsider coordinator cannot read the contacts', outsiderCoordinator, shared, 'taskForce.readContacts', false],
  ['outsider reads their own task force\'s contacts', outsiderCoordinator, other, 'taskForce.readContacts', true],
  ['platform admin outside a task force cannot read its contacts', platform, other, 'taskForce.readContacts', false],
  ['partner coordinator cannot read the contacts of a task force their agency is not in', partnerCoordinator, other, 'taskForce.readContacts', false],
  ['contacts need a record', leadOfficer, null, 'taskForce.readContacts', false],
  ...managing.flatMap((a): Row[] => [
    [`lead coordinator: ${a}`, leadCoordinator, shared, a, true],
    [`partner coordinator: ${a}`, partnerCoordinator, shared, a, false],
    [`partner admin: ${a}`, partnerAdmin, shared, a, false],
    [`outsider coordinator: ${a}`, outsiderCoordinator, shared, a, false],
    [`lead agency admin: ${a}`, leadAdmin, shared, a, false],
    [`lead officer: ${a}`, leadOfficer, shared, a, false],
    [`platform admin: ${a}`, platform, other, a, true],
    [`lead coordinator on another agency's task force: ${a}`, leadCoordinator, other, a, false],
    [`no record: ${a}`, leadCoordinator, null, a, false],
  ]),
];

describePolicyTable('taskForcePolicy', taskForcePolicy, table);
