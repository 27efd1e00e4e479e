import type { MeDto, OperationDto, PressReleaseDto } from '../../api/types.ts';

export type ApprovalKind = 'pio' | 'coordinator';

type Who = { user: Pick<MeDto['user'], 'roles'>; agency: Pick<MeDto['agency'], 'id'>; taskForces: Pick<MeDto['taskForces'][number], 'id'>[] };

/**
 * Which approvals this user can give now, in the order to offer them. A release needs one from a
 * public-information officer of the operation's task force and one from a coordinator of its lead
 * agency, by two different people (press-releases.policy.ts): the server's `pressRelease.approve`
 * says whether any is open to this user, and this says which. Without the operation (not loaded) the
 * answer is `[null]`: one plain "Approve", and the server picks.
 */
export function approvalsOpenTo(release: Pick<PressReleaseDto, 'abilities' | 'approvals'>, op: Pick<OperationDto, 'leadAgency' | 'taskForce'> | undefined, me: Who): (ApprovalKind | null)[] {
  if (release.abilities['pressRelease.approve'] !== true) return [];
  if (!op) return [null];
  const given = new Set(release.approvals.filter((a) => a.current).map((a) => a.kind));
  const kinds: ApprovalKind[] = [];
  if (me.user.roles.includes('coordinator') && me.agency.id === op.leadAgency.id && !given.has('coordinator')) kinds.push('coordinator');
  if (me.user.roles.includes('pio') && me.taskForces.some((tf) => tf.id === op.taskForce.id) && !given.has('pio')) kinds.push('pio');
  return kinds.length > 0 ? kinds : [null];
}

/** The current approval of each kind, if given. */
export function currentApproval(release: Pick<PressReleaseDto, 'approvals'>, kind: ApprovalKind) {
  return release.approvals.find((a) => a.kind === kind && a.current);
}

/** An approval given to an earlier text (voided by a change), when there is no current one. */
export function voidedApproval(release: Pick<PressReleaseDto, 'approvals'>, kind: ApprovalKind) {
  return currentApproval(release, kind) ? undefined : release.approvals.find((a) => a.kind === kind && !a.current);
}

/** Where a draft stands, in one word for lists and tags. */
export type DraftStage = 'findings' | 'awaiting' | 'ready';

export function draftStage(release: Pick<PressReleaseDto, 'approvals' | 'problems'>): DraftStage {
  if (release.problems.length > 0) return 'findings';
  return currentApproval(release, 'pio') && currentApproval(release, 'coordinator') ? 'ready' : 'awaiting';
}
