import type { EmailGroup } from '../../../common/schemas/notifications.ts';
import { own } from '../../../common/lookup.ts';

/** The inbox notices an email tells people about (issue #9, item 6), by the preference group they fall in. */
const EXACT: Record<string, EmailGroup> = {
  'custody.handoff': 'custody',
  'deconfliction.conflict': 'deconfliction',
  'pressRelease.awaitingApproval': 'pressReleases',
  'pressRelease.approved': 'pressReleases',
  'account.locked': 'account',
  // An urgent tip (a minor, or danger now: issue #10, item 5) is as time-critical as a custody deadline:
  // emailed at once, never silenced or held for a digest.
  'tip.urgent': 'custody',
};
/** custody.deadline.2h, .30m and .overdue: the RSMo 210.125.2 statement countdown (custody.service.ts). */
const CUSTODY_DEADLINE_PREFIX = 'custody.deadline.';

export const EMAILED_KINDS = Object.keys(EXACT);
export { CUSTODY_DEADLINE_PREFIX };

/** The preference group of a notice kind, or null when notices of that kind are never emailed. */
export function emailGroupOf(kind: string): EmailGroup | null {
  if (kind.startsWith(CUSTODY_DEADLINE_PREFIX)) return 'custody';
  return own(EXACT, kind) ?? null;
}
