import type { PressReleaseDto } from '../../api/types.ts';

export type ApprovalKind = 'pio' | 'coordinator';

/**
 * Which approvals this user can give now, in the order to offer them. A release needs one from a
 * public-information officer of the operation's task force and one from a coordinator of its lead
 * agency, by two different people (press-releases.access.ts): the server's abilities say which are
 * open to this user — `pressRelease.approveAsCoordinator` and `pressRelease.approveAsPio` — and
 * `pressRelease.approve` whether any is. Should the server name none of the two (an older server),
 * the answer is `[null]`: one plain "Approve", and the server picks.
 */
export function approvalsOpenTo(release: Pick<PressReleaseDto, 'abilities'>): (ApprovalKind | null)[] {
  if (release.abilities['pressRelease.approve'] !== true) return [];
  const kinds: ApprovalKind[] = [];
  if (release.abilities['pressRelease.approveAsCoordinator'] === true) kinds.push('coordinator');
  if (release.abilities['pressRelease.approveAsPio'] === true) kinds.push('pio');
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
