import type { AppContext } from '../context.ts';
import { loadActor, type Actor } from '../auth/actor.ts';
import { hasRole } from '../auth/actor.ts';
import { TestClock } from '../lib/clock.ts';
import { fileTip } from '../modules/tips/tips.intake.ts';
import { assignTip, changeTipStatus, messageTipster } from '../modules/tips/tips.service.ts';
import { addTipsterMessage } from '../modules/tips/tips.tipster.ts';
import { TIP_ROLES } from '../modules/tips/tips.access.ts';
import type { TipStatus } from '../../common/tips.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';
import { DEMO_EVERYDAY_TIPS, DEMO_TIPS, type DemoTip } from './demo-tips.data.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };
const HOUR = 60 * 60_000;

/**
 * The demo's tips (issue #10): filed through the same intake as the public form, the staff form and the
 * hotline import — routed, indexed and triaged as any tip is — each at the time it came in, then taken
 * through triage by the demo accounts of the agency whose queue it reached. Idempotent.
 */
export async function loadDemoTips(ctx: AppContext): Promise<{ created: boolean }> {
  const done = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo.tips').executeTakeFirst();
  if (done) return { created: false };

  const users = await ctx.db.selectFrom('app_user').select(['id', 'email']).where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`).execute();
  const actors = await Promise.all(users.map((u) => loadActor(ctx.db, u.id)));
  const byLocal = new Map(actors.map((a) => [a.email.split('@')[0]!, a]));
  const coordinator = byLocal.get('coordinator')!;
  const now = ctx.clock.now().getTime();

  for (const tip of [...DEMO_TIPS, ...DEMO_EVERYDAY_TIPS]) {
    // Each tip comes in at its own hour of its day, and its handling follows in the hours after.
    let at = now - tip.daysAgo * 24 * HOUR - 6 * HOUR;
    const clock = new TestClock(new Date(at));
    const when = { ...ctx, clock };
    const step = () => {
      at += HOUR;
      clock.set(new Date(at));
    };
    const staff = tip.source === 'web' ? null : coordinator;
    const { phones = [], emails = [], online = [], businesses = [], ...rest } = tip.fields;
    const filed = await fileTip(when, { ...rest, phones, emails, online, businesses, source: tip.source, externalRef: tip.externalRef, receivedAt: new Date(at).toISOString() }, staff, meta);
    if (!tip.status && !tip.question) continue;

    const row = await ctx.db.selectFrom('tip').select(['agency_id', 'version']).where('id', '=', filed.tipId).executeTakeFirstOrThrow();
    // The queue's coordinator or analyst assigns the tip; the named handler, if they work there, takes it.
    const assigner = actors.find((a) => a.agencyId === row.agency_id && hasRole(a, 'coordinator', 'analyst'));
    if (!assigner) continue;
    const handler = handlerFor(tip, row.agency_id, byLocal) ?? assigner;
    let version = row.version;
    step();
    version = (await assignTip(when, assigner, filed.tipId, { userId: handler.userId, version }, meta)).version;
    const path = PATHS[tip.status ?? 'assigned'];
    for (const status of path) {
      if (status === 'closed' && path.length === 1 && tip.question) break;
      step();
      version = (await changeTipStatus(when, handler, filed.tipId, { status, version, ...(status === 'closed' ? { reason: tip.closeReason ?? 'other' } : {}) }, meta)).version;
    }
    if (tip.question) {
      step();
      await messageTipster(when, handler, filed.tipId, tip.question, meta);
    }
    if (tip.answer) {
      step();
      await addTipsterMessage(when, { receipt: filed.receipt, body: tip.answer, ip: null });
    }
  }

  const stamp = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('setting')
    .values({ key: 'demo.tips', value: stamp, updated_at: stamp })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: stamp, updated_at: stamp }))
    .execute();
  return { created: true };
}

/** The states a demo tip passes through after it is assigned, to reach where the story has it. */
const PATHS: Record<TipStatus, TipStatus[]> = {
  new: [],
  assigned: [],
  under_review: ['under_review'],
  linked: ['under_review', 'linked'],
  referred: ['under_review', 'referred'],
  closed: ['closed'],
};

/** The named demo account, when it works tips for the agency whose queue the tip reached. */
function handlerFor(tip: DemoTip, agencyId: string, byLocal: Map<string, Actor>): Actor | null {
  const named = tip.handler ? byLocal.get(tip.handler) : undefined;
  return named && named.agencyId === agencyId && hasRole(named, ...TIP_ROLES) ? named : null;
}
