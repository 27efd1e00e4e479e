import type { Action } from '../../../common/actions.ts';
import { actor, AGENCY } from '../../test/actors.ts';
import { describe, expect, it } from 'vitest';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { OWN_ROLES_REFUSAL, roleChangeRefusal, userPolicy, type UserRecord } from './users.policy.ts';

const platform = actor(['admin'], { platformAdmin: true, userId: 'u-platform' });
const leadAdmin = actor(['admin'], { userId: 'u-lead-admin' });
const leadCoordinator = actor(['coordinator'], { userId: 'u-lead-coordinator' });
const leadOfficer = actor(['officer'], { userId: 'u-lead-officer' });
const partnerAdmin = actor(['admin'], { agencyId: AGENCY.partner, userId: 'u-partner-admin' });
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner, userId: 'u-partner-coordinator' });
const partnerOfficer = actor(['officer'], { agencyId: AGENCY.partner, userId: 'u-partner-officer' });
const partnerAnalyst = actor(['analyst'], { agencyId: AGENCY.partner, userId: 'u-partner-analyst' });

const user = (id: string, agencyId: string, platformAdmin = false): UserRecord => ({ id, agencyId, platformAdmin });
const leadOfficerRecord = user('u-lead-officer', AGENCY.lead);
const leadAdminRecord = user('u-lead-admin', AGENCY.lead);
const leadPlatformRecord = user('u-platform', AGENCY.lead, true);
const partnerOfficerRecord = user('u-partner-officer', AGENCY.partner);

const managing: Action[] = ['user.changeRoles', 'user.disable', 'user.unlock', 'user.resetMfa', 'user.resetPassword'];
/** Actions an administrator may not take on their own account (someone else must). */
const notOnSelf: Action[] = ['user.changeRoles', 'user.disable', 'user.resetMfa', 'user.resetPassword'];

type Row = Case<UserRecord>;
const table: Row[] = [
  // create: the record is the account to be
  ['agency admin creates in own agency', leadAdmin, user('', AGENCY.lead), 'user.create', true],
  ['agency admin cannot create in another agency', leadAdmin, user('', AGENCY.partner), 'user.create', false],
  ['agency admin cannot create a platform admin', leadAdmin, user('', AGENCY.lead, true), 'user.create', false],
  ['platform admin creates anywhere, platform admins too', platform, user('', AGENCY.outsider, true), 'user.create', true],
  ['coordinator cannot create', leadCoordinator, user('', AGENCY.lead), 'user.create', false],
  ['officer cannot create', leadOfficer, user('', AGENCY.lead), 'user.create', false],
  // read
  ['anyone reads their own account', leadOfficer, leadOfficerRecord, 'user.read', true],
  ['officer cannot read a colleague', leadOfficer, leadAdminRecord, 'user.read', false],
  ['admin reads own agency', leadAdmin, leadOfficerRecord, 'user.read', true],
  ['admin cannot read another agency', leadAdmin, partnerOfficerRecord, 'user.read', false],
  ['coordinator reads partner staff (to staff operations)', leadCoordinator, partnerOfficerRecord, 'user.read', true],
  ['platform admin reads anyone', platform, partnerOfficerRecord, 'user.read', true],
  // profile
  ['anyone updates their own profile', leadOfficer, leadOfficerRecord, 'user.update', true],
  ['admin updates own agency staff', leadAdmin, leadOfficerRecord, 'user.update', true],
  ['admin cannot update another agency', partnerAdmin, leadOfficerRecord, 'user.update', false],
  ['admin cannot update the platform admin', leadAdmin, leadPlatformRecord, 'user.update', false],
  ['coordinator cannot update partner staff', leadCoordinator, partnerOfficerRecord, 'user.update', false],
  ['officer cannot change own roles', leadOfficer, leadOfficerRecord, 'user.changeRoles', false],
  ['admin cannot change own roles (no one does: DESIGN.md §3)', leadAdmin, leadAdminRecord, 'user.changeRoles', false],
  ['platform admin cannot change own roles either', platform, leadPlatformRecord, 'user.changeRoles', false],
  ['another admin of the agency changes an admin\'s roles', actor(['admin'], { userId: 'u-second-admin' }), leadAdminRecord, 'user.changeRoles', true],
  ['admin may unlock own account', leadAdmin, leadAdminRecord, 'user.unlock', true],
  ...managing.flatMap((a): Row[] => [
    [`admin, own agency: ${a}`, leadAdmin, leadOfficerRecord, a, true],
    [`admin, other agency: ${a}`, partnerAdmin, leadOfficerRecord, a, false],
    [`admin, platform admin of own agency: ${a}`, leadAdmin, leadPlatformRecord, a, false],
    [`coordinator: ${a}`, leadCoordinator, partnerOfficerRecord, a, false],
    [`officer on self: ${a}`, leadOfficer, leadOfficerRecord, a, false],
    [`platform admin, any agency: ${a}`, platform, partnerOfficerRecord, a, true],
  ]),
  ...notOnSelf.flatMap((a): Row[] => [
    [`admin on self: ${a}`, leadAdmin, leadAdminRecord, a, false],
    [`platform admin on self: ${a}`, platform, leadPlatformRecord, a, false],
  ]),
  ['no rule for agency actions here', platform, leadOfficerRecord, 'agency.update', false],
  // a partner agency of the same task force
  ['partner admin cannot create in the lead agency', partnerAdmin, user('', AGENCY.lead), 'user.create', false],
  ['partner admin cannot read the lead agency’s staff', partnerAdmin, leadOfficerRecord, 'user.read', false],
  ['partner officer cannot read the lead agency’s staff', partnerOfficer, leadOfficerRecord, 'user.read', false],
  ['partner analyst cannot read the lead agency’s staff', partnerAnalyst, leadOfficerRecord, 'user.read', false],
  ['partner coordinator cannot update the lead agency’s staff', partnerCoordinator, leadOfficerRecord, 'user.update', false],
  ...managing.map((a): Row => [`partner coordinator: ${a}`, partnerCoordinator, leadOfficerRecord, a, false]),
];

describePolicyTable('userPolicy', userPolicy, table);

describe('roleChangeRefusal', () => {
  it('names one\'s own account as the reason, for everyone', () => {
    for (const [who, own] of [[leadAdmin, leadAdminRecord], [platform, leadPlatformRecord], [leadOfficer, leadOfficerRecord]] as const) {
      expect(roleChangeRefusal(who, own)).toBe(OWN_ROLES_REFUSAL);
    }
  });
  it('refuses without a manager, and allows what user.changeRoles allows', () => {
    expect(roleChangeRefusal(partnerAdmin, leadOfficerRecord)).toMatch(/not allowed/);
    expect(roleChangeRefusal(leadAdmin, leadOfficerRecord)).toBeNull();
    expect(roleChangeRefusal(platform, leadAdminRecord)).toBeNull();
  });
});
