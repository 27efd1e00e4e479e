import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import { notify, settleNotices } from '../inbox/inbox.service.ts';

/**
 * The in-app notices email tells people about that no service filed before issue #9: a press release
 * waiting for its second approval, a release approved by both, an account locked. Each is filed in the
 * caller's transaction, once (dedupe keys), and says what happened without any of the release's text.
 */

/**
 * After an approval of a release's current version: while one approval is missing, the people who can
 * give it are told (the lead agency's coordinators, or the task force's PIOs, whichever agency they
 * belong to); once both are in, whoever approved before is told it can be published.
 */
export async function fileApprovalNotices(
  db: Queryable,
  ctx: AppContext,
  release: { id: string; agencyId: string; taskForceId: string; version: number; operationName: string },
  actorUserId: string,
) {
  const approvals = await db
    .selectFrom('press_release_approval as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.kind', 'a.user_id', 'u.agency_id'])
    .where('a.release_id', '=', release.id)
    .where('a.version', '=', release.version)
    .execute();
  const common = { recordType: 'press_release', recordId: release.id };
  const key = (what: string, who: string) => `press:${release.id}:v${release.version}:${what}:${who}`;
  const has = (kind: string) => approvals.some((a) => a.kind === kind);
  if (has('pio') && has('coordinator')) {
    // The approval the notices asked for has been given: they are done for everyone (item 7).
    await settleNotices(db, ctx, { ...common, kind: 'pressRelease.awaitingApproval' });
    for (const a of approvals.filter((x) => x.user_id !== actorUserId)) {
      await notify(db, ctx, {
        ...common,
        agencyId: a.agency_id,
        audience: { userId: a.user_id },
        kind: 'pressRelease.approved',
        title: `Press release approved: the release about “${release.operationName}” can be published`,
        body: 'Both approvals are in. A public-information officer can now publish it.',
        dedupeKey: key('approved', a.user_id),
      });
    }
    return;
  }
  if (has('pio')) {
    await notify(db, ctx, {
      ...common,
      agencyId: release.agencyId,
      audience: { role: 'coordinator' },
      kind: 'pressRelease.awaitingApproval',
      title: `Press release awaiting your approval: “${release.operationName}”`,
      body: 'A public-information officer approved the release. It needs a lead coordinator’s approval before it can be published.',
      dedupeKey: key('awaiting', 'coordinators'),
    });
  } else if (has('coordinator')) {
    const members = await db.selectFrom('task_force_member').select('agency_id').where('task_force_id', '=', release.taskForceId).execute();
    const lead = await db.selectFrom('task_force').select('agency_id').where('id', '=', release.taskForceId).executeTakeFirst();
    const agencies = [...new Set([...members.map((m) => m.agency_id), ...(lead ? [lead.agency_id] : [])])];
    for (const agencyId of agencies) {
      await notify(db, ctx, {
        ...common,
        agencyId,
        audience: { role: 'pio' },
        kind: 'pressRelease.awaitingApproval',
        title: `Press release awaiting a PIO’s approval: “${release.operationName}”`,
        body: 'A lead coordinator approved the release. It needs a public-information officer’s approval before it can be published.',
        dedupeKey: key('awaiting', `pio:${agencyId}`),
      });
    }
  }
}

/** Once a release is published, the "can be published" notices have done their work. */
export async function settlePublishedNotices(db: Queryable, ctx: AppContext, releaseId: string) {
  await settleNotices(db, ctx, { recordType: 'press_release', recordId: releaseId });
}

/** An account locked by failed sign-ins: its agency's administrators and the person are told. */
export async function fileLockoutNotices(db: Queryable, ctx: AppContext, user: { userId: string; agencyId: string }) {
  const at = ctx.clock.now().toISOString();
  const common = { agencyId: user.agencyId, kind: 'account.locked', recordType: 'user', recordId: user.userId };
  await notify(db, ctx, {
    ...common,
    audience: { role: 'admin' },
    title: 'An account of your agency was locked after failed sign-ins',
    body: 'Repeated failed sign-in attempts locked one of your agency’s accounts. Check with the person before you unlock it on the users page.',
    dedupeKey: `locked:${user.userId}:${at}:admins`,
  });
  await notify(db, ctx, {
    ...common,
    audience: { userId: user.userId },
    title: 'Your account was locked after failed sign-ins',
    body: 'Repeated failed sign-in attempts locked your account. If that was not you, tell your agency administrator.',
    dedupeKey: `locked:${user.userId}:${at}:user`,
  });
}
