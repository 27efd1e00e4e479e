import type { AppContext } from '../../context.ts';
import { lockUntilCommit, type Queryable } from '../../db/database.ts';
import { notify } from '../inbox/inbox.service.ts';
import { LETTER_AGENCY_KINDS } from './businesses.access.ts';
import { addDays, localDay } from './businesses.pipeline.ts';

/** How many days before a landlord's response deadline the campaign hears that it is coming. */
export const DEADLINE_REMINDER_DAYS = 7;
/** A deadline that passed longer ago than this is not announced any more (the server was down for a month). */
const PASSED_WINDOW_DAYS = 30;
/** Who hears about a deadline in each agency: those who move the pipeline. */
const AUDIENCE = ['coordinator', 'analyst'] as const;

/** Businesses waiting on a landlord whose deadline is within the reminder window, or passed within the last month. */
function awaitingAnswer(db: Queryable, from: string, until: string) {
  return db
    .selectFrom('business as b')
    .select(['b.id', 'b.name', 'b.city', 'b.agency_id', 'b.task_force_id', 'b.response_due'])
    .where('b.stage', '=', 'landlord_notified')
    .where('b.response_due', 'is not', null)
    .where('b.response_due', '<=', until)
    .where('b.response_due', '>=', from)
    .orderBy('b.response_due')
    .orderBy('b.id')
    .execute();
}

/** The attorney general's offices of the task forces named: their prosecutor member agencies. */
async function letterAgencies(db: Queryable, taskForceIds: readonly string[]) {
  const out = new Map<string, string[]>();
  if (taskForceIds.length === 0) return out;
  const rows = await db
    .selectFrom('task_force_member as m')
    .innerJoin('agency as a', 'a.id', 'm.agency_id')
    .select(['m.task_force_id', 'm.agency_id'])
    .where('m.task_force_id', 'in', [...taskForceIds])
    .where('a.kind', 'in', [...LETTER_AGENCY_KINDS])
    .execute();
  for (const r of rows) out.set(r.task_force_id, [...(out.get(r.task_force_id) ?? []), r.agency_id]);
  return out;
}

async function existingKeys(db: Queryable, keys: readonly string[]) {
  if (keys.length === 0) return new Set<string>();
  const rows = await db.selectFrom('inbox_item').select('dedupe_key').where('dedupe_key', 'in', [...keys]).execute();
  return new Set(rows.map((r) => r.dedupe_key));
}

/**
 * The landlord's response deadline (issue #11, item 5: "deadlines produce reminders through the
 * notifications"): for a business whose landlord was notified and has not answered, the owning agency's
 * coordinators and analysts and the attorney general's (the task force's prosecutor agencies') hear once,
 * seven days before the deadline, and once after it passed, asking for the answer or "no response". Only
 * the most pressing notice that applies is filed. Each notice has a dedupe key naming the deadline (a new
 * deadline is announced anew), and processes take turns on the check, so several processes running it
 * every minute file each notice once. The landlord's answer settles them (advanceStage). Returns how many
 * businesses got a new notice.
 */
export async function checkResponseDeadlines(ctx: AppContext): Promise<number> {
  const today = localDay(ctx, ctx.clock.now());
  return ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, async (tx) => {
    await lockUntilCommit(ctx.dialect, tx.db, 'business_response_deadlines');
    const due = await awaitingAnswer(tx.db, addDays(today, -PASSED_WINDOW_DAYS), addDays(today, DEADLINE_REMINDER_DAYS));
    const prosecutors = await letterAgencies(tx.db, [...new Set(due.map((b) => b.task_force_id))]);
    let filed = 0;
    for (const b of due) {
      const passed = b.response_due! < today;
      const stage = passed ? 'passed' : 'soon';
      const agencies = [...new Set([b.agency_id, ...(prosecutors.get(b.task_force_id) ?? [])])];
      const targets = agencies.flatMap((agencyId) => AUDIENCE.map((role) => ({ agencyId, role, key: `business:${b.id}:${b.response_due}:${stage}:${agencyId}:${role}` })));
      const existing = await existingKeys(tx.db, targets.map((t) => t.key));
      const fresh = targets.filter((t) => !existing.has(t.key));
      if (fresh.length === 0) continue;
      const title = passed ? `Landlord's response deadline passed: ${b.name}, ${b.city}` : `Landlord's response due ${b.response_due}: ${b.name}, ${b.city}`;
      const body = passed
        ? `The landlord's response deadline for ${b.name} (${b.city}) passed on ${b.response_due}: record their answer or no response.`
        : `The landlord's response to the notice about ${b.name} (${b.city}) is due on ${b.response_due}. Record their answer when it comes; after that day, record no response.`;
      for (const t of fresh) {
        await notify(tx.db, ctx, { kind: `business.deadline.${stage}`, title, body, recordType: 'business', recordId: b.id, agencyId: t.agencyId, audience: { role: t.role }, dedupeKey: t.key });
      }
      tx.audit({ action: 'business.deadline', recordType: 'business', recordId: b.id, recordAgencyId: b.agency_id, detail: { stage, responseDue: b.response_due, agencies: agencies.length } });
      filed++;
    }
    return filed;
  });
}
