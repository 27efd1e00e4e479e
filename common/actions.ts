/**
 * Every action a policy can grant, named "<resource>.<verb>". Declared once here so the server's
 * policies, the audit log and the web's `abilities` checks all spell them the same way.
 */
export const ACTIONS = [
  'agency.create',
  'agency.read',
  'agency.update',
  'taskForce.create',
  'taskForce.read',
  'taskForce.update',
  'taskForce.addAgency',
  'taskForce.removeAgency',
  'taskForce.readContacts',
  'user.create',
  'user.read',
  'user.update',
  'user.changeRoles',
  'user.disable',
  'user.unlock',
  'user.resetMfa',
  'user.resetPassword',
  'audit.read',
  'audit.export',
  'operation.create',
  'operation.read',
  'operation.update',
  'operation.approve',
  'operation.activate',
  'operation.close',
  'operation.correct',
  'operation.readBriefing',
  'operation.assign',
  'operation.resolveConflict',
  'operation.waive',
  'operation.recordContact',
  'operation.readContacts',
  'operation.readOutcome',
  'contact.create',
  'contact.read',
  'contact.update',
  'contact.refer',
  'contact.handOff',
  'referral.create',
  'referral.read',
  'referral.respond',
  'referral.annotate',
  'custody.create',
  'custody.read',
  'custody.update',
  'custody.receive',
  'pressRelease.create',
  'pressRelease.read',
  'pressRelease.update',
  'pressRelease.approve',
  'pressRelease.approveAsPio',
  'pressRelease.approveAsCoordinator',
  'pressRelease.publish',
  'pressRelease.correct',
  'statistics.publish',
  'settings.update',
  'custody.alert',
  /** An urgent tip's alert to the coordinators (system action: audited, granted to no one). */
  'tip.alert',
  'tip.create',
  'tip.read',
  'tip.readContact',
  'tip.assign',
  'tip.triage',
  'tip.reroute',
  'tip.share',
  'tip.message',
  'tip.import',
  'business.create',
  'business.read',
  'business.update',
  'business.readOperators',
  'business.recordIndicator',
  'business.verify',
  'business.clear',
  /** Withdrawing evidence: its recorder, or whoever may verify it. */
  'business.withdrawIndicator',
  'business.advance',
  'business.readLandlord',
  'business.updateLandlord',
  'business.draftLetter',
  'business.sendLetter',
  'business.readAlerts',
  'business.dismissAlert',
  'notice.editTemplate',
  /** A re-opening alert raised by the watch (system action: audited, granted to no one). */
  'business.alert',
  /** A landlord's response deadline announced to the campaign's staff (system action). */
  'business.deadline',
  /** The advocates' compartment (issue #12): a victim-services agency's own client records. */
  'client.create',
  'client.read',
  'client.update',
  'client.assign',
  'client.readDocument',
  /** Taking and revoking a client's releases of information, and sharing under them. */
  'client.release',
  'client.share',
  /** The OVC TIMS performance report: aggregate counts of the agency's clients and services. */
  'client.report',
  /** The recipient reads what was shared under a release in effect. */
  'release.readShared',
  /** A release's end by expiry, recorded by the sweep (system action: audited, granted to no one). */
  'release.expire',
  /** Staff looking up a phone, email, plate or handle in the identifier index (the count only, never the value). */
  'identifier.search',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What the UI may offer for one record: action → allowed. */
export type Abilities = Partial<Record<Action, boolean>>;

/** Audit-only actions: things that happen to the system rather than to a record. */
export const AUDIT_EVENTS = [
  'auth.login',
  'auth.logout',
  'auth.mfa',
  'auth.mfaEnrol',
  'auth.recoveryCodeUsed',
  'auth.recoveryCodesRegenerated',
  'auth.passwordChange',
  'auth.sessionRevoke',
  'auth.lockout',
  'notifications.update',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** Every action name an audit row may carry, sorted: what the audit log's action filter offers. */
export const AUDIT_LOG_ACTIONS: readonly string[] = [...new Set<string>([...ACTIONS, ...AUDIT_EVENTS, 'access.denied', 'keys.rotate', 'operation.conflictDetected'])].sort();

/** Audit rows that record a refusal whatever outcome they were written with: a lockout is a failure to sign in. */
export const FAILURE_ACTIONS: readonly string[] = ['auth.lockout', 'access.denied'];
