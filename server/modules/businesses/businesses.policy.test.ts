import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Expression, SqlBool } from 'kysely';
import { AGENCY, CAST, TASK_FORCE, actor } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { insertAgency, insertTaskForce, insertUser } from '../../test/fixtures.ts';
import type { Grant } from '../../auth/access.ts';
import type { Actor } from '../../auth/actor.ts';
import { ROLES, type AgencyKind } from '../../../common/roles.ts';
import { BUSINESS_STAGES, type BusinessStage } from '../../../common/businesses.ts';
import { businessPolicy, noticeTemplatePolicy, type BusinessRecord, type NoticeTemplateRecord } from './businesses.policy.ts';
import { businessAccess, noticeTemplateAccess } from './businesses.access.ts';
import { insertTestBusiness } from './businesses.test-support.ts';

const { leadCoordinator, leadAnalyst, leadOfficer, leadPio, leadAdmin, platform, partnerCoordinator, partnerAnalyst, partnerOfficer, partnerPio, partnerAdmin, advocate, caseworker, outsiderCoordinator } = CAST;
/** The attorney general's office: a prosecutor agency of the shared task force, and one of the other task force. */
const AG = 'agency-ag';
const agAnalyst = actor(['analyst'], { agencyId: AG, agencyKind: 'prosecutor', userId: 'u-ag-analyst' });
const agCoordinator = actor(['coordinator'], { agencyId: AG, agencyKind: 'prosecutor', userId: 'u-ag-coordinator' });
const agOfficer = actor(['officer'], { agencyId: AG, agencyKind: 'prosecutor', userId: 'u-ag-officer' });
const otherAgAnalyst = actor(['analyst'], { agencyId: 'agency-other-ag', agencyKind: 'prosecutor', taskForceIds: [TASK_FORCE.other], userId: 'u-other-ag' });
const federalAnalyst = actor(['analyst'], { agencyId: 'agency-fbi', agencyKind: 'federal', userId: 'u-fbi' });
/** An advocates' agency analyst: a member of the task force, but advocates do not police businesses. */
const advocatesAnalyst = actor(['analyst'], { agencyId: 'agency-advocates', agencyKind: 'victim_services', userId: 'u-adv-analyst' });
const loneOfficer = actor(['officer'], { taskForceIds: [], userId: 'u-lone' });

/** A business entered by the lead agency into the shared task force's campaign, at a stage. */
const biz = (stage: BusinessStage = 'identified', agencyId: string = AGENCY.lead, taskForceId: string = TASK_FORCE.shared): BusinessRecord => ({ id: 'b-1', agencyId, taskForceId, stage });
const otherTf = biz('closed', AGENCY.outsider, TASK_FORCE.other);

const table: Case<BusinessRecord>[] = [
  // business.create: the actor's own act (campaign staff of a campaign agency in a task force)
  ['a police officer enters a business', leadOfficer, biz(), 'business.create', true],
  ['a partner agency’s analyst enters one', partnerAnalyst, biz(), 'business.create', true],
  ['the attorney general’s analyst enters one', agAnalyst, biz(), 'business.create', true],
  ['a federal analyst enters one', federalAnalyst, biz(), 'business.create', true],
  ['a PIO does not', leadPio, biz(), 'business.create', false],
  ['a partner PIO does not', partnerPio, biz(), 'business.create', false],
  ['an administrator does not', leadAdmin, biz(), 'business.create', false],
  ['the platform administrator does not', platform, biz(), 'business.create', false],
  ['an advocate does not', advocate, biz(), 'business.create', false],
  ['an advocates’ analyst does not', advocatesAnalyst, biz(), 'business.create', false],
  ['a caseworker does not', caseworker, biz(), 'business.create', false],
  ['an officer in no task force does not', loneOfficer, biz(), 'business.create', false],

  // business.read: the campaign's staff of the task force's campaign agencies
  ['the owning agency’s officer reads', leadOfficer, biz(), 'business.read', true],
  ['a partner agency’s officer of the task force reads', partnerOfficer, biz(), 'business.read', true],
  ['the attorney general’s analyst reads', agAnalyst, biz(), 'business.read', true],
  ['a partner PIO does not read', partnerPio, biz(), 'business.read', false],
  ['a partner administrator does not read', partnerAdmin, biz(), 'business.read', false],
  ['another task force’s coordinator does not read', outsiderCoordinator, biz(), 'business.read', false],
  ['another task force’s prosecutor does not read', otherAgAnalyst, biz(), 'business.read', false],
  ['an advocate does not read', advocate, biz(), 'business.read', false],
  ['an advocates’ analyst does not read', advocatesAnalyst, biz(), 'business.read', false],
  ['a caseworker does not read', caseworker, biz(), 'business.read', false],
  ['the PIO does not read', leadPio, biz(), 'business.read', false],
  ['the administrator does not read', leadAdmin, biz(), 'business.read', false],
  ['the platform administrator does not read', platform, biz(), 'business.read', false],
  ['a lead officer does not read the lead agency’s business of a task force it left', leadOfficer, biz('identified', AGENCY.lead, TASK_FORCE.other), 'business.read', false],

  // business.update: the owning agency's campaign staff and the attorney general's staff
  ['the owning agency’s officer keeps it', leadOfficer, biz(), 'business.update', true],
  ['the attorney general’s analyst keeps it', agAnalyst, biz('closed'), 'business.update', true],
  ['a partner agency’s coordinator does not', partnerCoordinator, biz(), 'business.update', false],
  ['the attorney general’s officer does not (letters are its analysts’ and coordinators’)', agOfficer, biz(), 'business.update', false],
  ['another task force’s coordinator does not', outsiderCoordinator, biz(), 'business.update', false],
  ['the owning agency’s officer no longer keeps it once the agency left its task force', leadOfficer, biz('identified', AGENCY.lead, TASK_FORCE.other), 'business.update', false],
  ['nor moves its pipeline (its coordinator)', leadCoordinator, biz('verified', AGENCY.lead, TASK_FORCE.other), 'business.advance', false],

  // business.readOperators: coordinators and analysts of the task force, not every officer
  ['the lead analyst reads operators', leadAnalyst, biz(), 'business.readOperators', true],
  ['a partner analyst reads operators', partnerAnalyst, biz(), 'business.readOperators', true],
  ['the attorney general’s coordinator reads operators', agCoordinator, biz(), 'business.readOperators', true],
  ['the lead officer does not', leadOfficer, biz(), 'business.readOperators', false],
  ['a partner officer does not', partnerOfficer, biz(), 'business.readOperators', false],
  ['another task force’s coordinator does not', outsiderCoordinator, biz(), 'business.readOperators', false],

  // business.recordIndicator: anyone in the campaign, while in the pipeline
  ['a partner officer records what they saw', partnerOfficer, biz(), 'business.recordIndicator', true],
  ['even after closure (re-opening evidence)', leadOfficer, biz('closed'), 'business.recordIndicator', true],
  ['not on a cleared business', leadAnalyst, biz('cleared'), 'business.recordIndicator', false],
  ['not a partner PIO', partnerPio, biz(), 'business.recordIndicator', false],
  ['not another task force', outsiderCoordinator, biz(), 'business.recordIndicator', false],

  // business.verify: a second person among the case roles
  ['the lead analyst verifies', leadAnalyst, biz(), 'business.verify', true],
  ['a partner coordinator verifies', partnerCoordinator, biz('verified'), 'business.verify', true],
  ['an officer does not verify', leadOfficer, biz(), 'business.verify', false],
  ['a partner officer does not verify', partnerOfficer, biz(), 'business.verify', false],
  ['nobody verifies on a cleared business', leadAnalyst, biz('cleared'), 'business.verify', false],

  // business.clear: the keepers' coordinators and analysts, before the landlord's notice
  ['the owning agency’s analyst clears an identified business', leadAnalyst, biz('identified'), 'business.clear', true],
  ['the owning agency’s coordinator clears once the landlord is identified', leadCoordinator, biz('landlord_identified'), 'business.clear', true],
  ['the attorney general’s analyst clears a verified one', agAnalyst, biz('verified'), 'business.clear', true],
  ['nobody clears after the landlord’s notice', leadAnalyst, biz('landlord_notified'), 'business.clear', false],
  ['nobody clears a closed business', leadAnalyst, biz('closed'), 'business.clear', false],
  ['nobody clears a cleared business again', leadAnalyst, biz('cleared'), 'business.clear', false],
  ['an officer does not clear', leadOfficer, biz(), 'business.clear', false],
  ['a partner coordinator does not clear another agency’s business', partnerCoordinator, biz(), 'business.clear', false],

  // business.advance: the keepers' coordinators and analysts, while in the pipeline
  ['the owning agency’s coordinator advances', leadCoordinator, biz('verified'), 'business.advance', true],
  ['the attorney general’s analyst advances a closed business to civil action', agAnalyst, biz('closed'), 'business.advance', true],
  ['nobody advances a cleared business', leadCoordinator, biz('cleared'), 'business.advance', false],
  ['an officer does not advance', leadOfficer, biz(), 'business.advance', false],
  ['a partner coordinator does not advance another agency’s business', partnerCoordinator, biz(), 'business.advance', false],
  ['another task force’s coordinator does not advance', outsiderCoordinator, biz(), 'business.advance', false],

  // business.readLandlord: campaign staff (never public)
  ['an officer reads the landlord', leadOfficer, biz(), 'business.readLandlord', true],
  ['a partner officer reads the landlord', partnerOfficer, biz(), 'business.readLandlord', true],
  ['a partner PIO does not', partnerPio, biz(), 'business.readLandlord', false],
  ['a PIO does not', leadPio, biz(), 'business.readLandlord', false],
  ['an advocate does not', advocate, biz(), 'business.readLandlord', false],
  ['another task force does not', outsiderCoordinator, biz(), 'business.readLandlord', false],

  // business.updateLandlord: the keepers, while in the pipeline
  ['the owning agency’s officer records the landlord', leadOfficer, biz('verified'), 'business.updateLandlord', true],
  ['the attorney general’s analyst records the landlord', agAnalyst, biz('verified'), 'business.updateLandlord', true],
  ['a partner coordinator does not', partnerCoordinator, biz('verified'), 'business.updateLandlord', false],
  ['nobody on a cleared business', leadOfficer, biz('cleared'), 'business.updateLandlord', false],

  // business.draftLetter and sendLetter: the attorney general's office
  ['the attorney general’s analyst drafts a letter', agAnalyst, biz('landlord_identified'), 'business.draftLetter', true],
  ['the attorney general’s coordinator drafts a letter', agCoordinator, biz('landlord_identified'), 'business.draftLetter', true],
  ['the attorney general’s officer does not draft', agOfficer, biz('landlord_identified'), 'business.draftLetter', false],
  ['a police coordinator does not draft', leadCoordinator, biz('landlord_identified'), 'business.draftLetter', false],
  ['a partner police coordinator does not draft', partnerCoordinator, biz('landlord_identified'), 'business.draftLetter', false],
  ['another task force’s prosecutor does not draft', otherAgAnalyst, biz('landlord_identified'), 'business.draftLetter', false],
  ['nobody drafts for a cleared business', agAnalyst, biz('cleared'), 'business.draftLetter', false],
  ['the attorney general’s analyst records a letter sent', agAnalyst, biz('landlord_notified'), 'business.sendLetter', true],
  ['a police coordinator does not send letters', leadCoordinator, biz('landlord_notified'), 'business.sendLetter', false],
  ['a partner analyst does not send letters', partnerAnalyst, biz('landlord_notified'), 'business.sendLetter', false],
  ['another task force’s prosecutor does not send', otherAgAnalyst, biz('landlord_notified'), 'business.sendLetter', false],

  // business.readAlerts and dismissAlert
  ['a partner officer reads the re-opening alerts', partnerOfficer, biz('closed'), 'business.readAlerts', true],
  ['a partner PIO does not', partnerPio, biz('closed'), 'business.readAlerts', false],
  ['an advocate does not', advocate, biz('closed'), 'business.readAlerts', false],
  ['another task force does not', outsiderCoordinator, biz('closed'), 'business.readAlerts', false],
  ['a partner analyst dismisses an alert', partnerAnalyst, biz('closed'), 'business.dismissAlert', true],
  ['the lead coordinator dismisses an alert', leadCoordinator, biz('closed'), 'business.dismissAlert', true],
  ['a partner officer does not dismiss', partnerOfficer, biz('closed'), 'business.dismissAlert', false],
  ['an officer does not dismiss', leadOfficer, biz('closed'), 'business.dismissAlert', false],
  ['another task force’s coordinator does not dismiss', outsiderCoordinator, biz('closed'), 'business.dismissAlert', false],
  ['another task force’s coordinator dismisses its own business’s alert', outsiderCoordinator, otherTf, 'business.dismissAlert', true],
];

describePolicyTable('businessPolicy', businessPolicy, table);

const template = (taskForceId: string = TASK_FORCE.shared): NoticeTemplateRecord => ({ taskForceId });
const templateTable: Case<NoticeTemplateRecord>[] = [
  ['the attorney general’s analyst edits the template', agAnalyst, template(), 'notice.editTemplate', true],
  ['the attorney general’s coordinator edits it', agCoordinator, template(), 'notice.editTemplate', true],
  ['the attorney general’s officer does not', agOfficer, template(), 'notice.editTemplate', false],
  ['a police coordinator does not', leadCoordinator, template(), 'notice.editTemplate', false],
  ['a partner police coordinator does not', partnerCoordinator, template(), 'notice.editTemplate', false],
  ['another task force’s prosecutor does not edit this one', otherAgAnalyst, template(), 'notice.editTemplate', false],
  ['another task force’s prosecutor edits its own', otherAgAnalyst, template(TASK_FORCE.other), 'notice.editTemplate', true],
  ['the platform administrator does not', platform, template(), 'notice.editTemplate', false],
];
describePolicyTable('noticeTemplatePolicy', noticeTemplatePolicy, templateTable);

/**
 * One grant, two forms (STYLE.md): on a real database of each kind, every grant's SQL filter lists
 * exactly the businesses (and templates) whose record its predicate allows, for every role at every
 * kind of agency, and for actors drawn at random (several roles, any task forces, platform administrators).
 */
describeEachDatabase('every business grant: the predicate allows exactly the rows the SQL filter lists', (backend) => {
  let env: TestEnv;
  const agencies: { id: string; kind: AgencyKind; taskForces: string[] }[] = [];
  let shared = '';
  let other = '';
  const records: BusinessRecord[] = [];
  const templates: (NoticeTemplateRecord & { id: string })[] = [];

  beforeAll(async () => {
    env = await startTestEnv(backend);
    const kinds: [string, AgencyKind, 'shared' | 'other'][] = [
      ['Lead police', 'law_enforcement', 'shared'],
      ['Partner police', 'law_enforcement', 'shared'],
      ['Attorney General', 'prosecutor', 'shared'],
      ['Federal partner', 'federal', 'shared'],
      ['Advocates', 'victim_services', 'shared'],
      ['Children’s division', 'child_welfare', 'shared'],
      ['Outsider police', 'law_enforcement', 'other'],
      ['Other prosecutor', 'prosecutor', 'other'],
    ];
    const ids: string[] = [];
    for (const [name, kind] of kinds) ids.push(await insertAgency(env, name, kind));
    shared = await insertTaskForce(env, 'Shared', ids[0]!, ids.filter((_, i) => kinds[i]![2] === 'shared'));
    other = await insertTaskForce(env, 'Other', ids[6]!, ids.filter((_, i) => kinds[i]![2] === 'other'));
    kinds.forEach(([, kind, tf], i) => agencies.push({ id: ids[i]!, kind, taskForces: [tf === 'shared' ? shared : other] }));
    const user = await insertUser(env, ids[0]!, ['analyst']);
    // Every stage, entered by each kind of agency, in its own task force and (for the lead) in the other one.
    const owners: [string, string][] = [
      [ids[0]!, shared],
      [ids[1]!, shared],
      [ids[2]!, shared],
      [ids[3]!, shared],
      [ids[6]!, other],
      [ids[0]!, other],
    ];
    for (const [agencyId, taskForceId] of owners) {
      for (const stage of BUSINESS_STAGES) {
        const b = await insertTestBusiness(env.ctx, { agencyId, taskForceId, stage, createdBy: user.id, skipIndex: true });
        records.push({ id: b.id, agencyId, taskForceId, stage });
      }
    }
    for (const taskForceId of [shared, other]) {
      const id = `nt-${taskForceId}`;
      await env.ctx.db
        .insertInto('notice_template')
        .values({ id, task_force_id: taskForceId, agency_id: ids[2]!, version: 1, title: 't', body: 'b', legal_basis: 'l', response_days: 30, updated_by: user.id, updated_at: env.clock.now().toISOString() })
        .execute();
      templates.push({ id, taskForceId });
    }
  });
  afterAll(() => env.close());

  async function agree(who: Actor) {
    const label = `${who.agencyKind} ${[...who.roles].join('+')} in ${who.taskForceIds.join(',') || 'no task force'}${who.platformAdmin ? ' (platform)' : ''}`;
    for (const [action, grant] of Object.entries(businessAccess.grants) as [string, Grant<BusinessRecord>][]) {
      const got = (await env.ctx.db.selectFrom('business as b').select('b.id').where(grant.where(who) as Expression<SqlBool>).execute()).map((r) => r.id).sort();
      expect(got, `${action} for ${label}`).toEqual(records.filter((r) => grant.allows(who, r)).map((r) => r.id).sort());
    }
    const edit = noticeTemplateAccess.grants['notice.editTemplate'];
    const got = (await env.ctx.db.selectFrom('notice_template as nt').select('nt.id').where(edit.where(who)).execute()).map((r) => r.id).sort();
    expect(got, `notice.editTemplate for ${label}`).toEqual(templates.filter((t) => edit.allows(who, t)).map((t) => t.id).sort());
  }

  const actorAt = (agency: (typeof agencies)[number], roles: (typeof ROLES)[number][], opts: { platformAdmin?: boolean; taskForceIds?: string[] } = {}) =>
    actor(roles, { agencyId: agency.id, agencyKind: agency.kind, taskForceIds: opts.taskForceIds ?? agency.taskForces, platformAdmin: opts.platformAdmin ?? false, userId: `u-${agency.id}-${roles.join('-')}` });

  it('the world has every stage, in both task forces, entered by every campaign agency kind', () => {
    expect(new Set(records.map((r) => r.stage))).toEqual(new Set(BUSINESS_STAGES));
    expect(new Set(records.map((r) => r.taskForceId))).toEqual(new Set([shared, other]));
  });

  it('for every role at every kind of agency', async () => {
    for (const agency of agencies) for (const role of ROLES) await agree(actorAt(agency, [role]));
  });

  it('for actors drawn at random: several roles, any task forces, platform administrators', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: agencies.length - 1 }),
        fc.subarray([...ROLES]),
        fc.subarray(['shared', 'other'] as const),
        fc.boolean(),
        async (i, roles, tfs, platformAdmin) => {
          await agree(actorAt(agencies[i]!, roles, { platformAdmin, taskForceIds: tfs.map((t) => (t === 'shared' ? shared : other)) }));
        },
      ),
      { numRuns: 30 },
    );
  });
});
