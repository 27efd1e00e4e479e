import type { Migration } from 'kysely';
import * as m0001 from './0001-workspace.ts';
import * as m0002 from './0002-operations.ts';
import * as m0003 from './0003-disclosure.ts';
import * as m0004 from './0004-deconfliction-window.ts';
import * as m0005 from './0005-audit-keys.ts';
import * as m0006 from './0006-release-approval-version.ts';
import * as m0007 from './0007-press-figures.ts';
import * as m0008 from './0008-statistics-jobs.ts';
import * as m0009 from './0009-inbox-settled.ts';
import * as m0010 from './0010-notifications.ts';
import * as m0011 from './0011-referral-notes-and-placements.ts';
import * as m0012 from './0012-tips.ts';
import * as m0013 from './0013-tip-ip-key.ts';
import * as m0014 from './0014-identifier-index.ts';
import * as m0015 from './0015-tip-import-jobs.ts';
import * as m0016 from './0016-businesses.ts';
import * as m0017 from './0017-campaign-tallies.ts';
import * as m0018 from './0018-advocate-clients.ts';
import * as m0019 from './0019-job-lease.ts';
import * as m0020 from './0020-idempotency-key.ts';
import * as m0021 from './0021-tip-queue-order.ts';
import * as m0022 from './0022-identifier-record-index.ts';
import * as m0023 from './0023-identifier-parent-index.ts';
import * as m0024 from './0024-identifier-link-agency.ts';

/** Ordered by name; a migration, once released, is never edited — add a new one. */
export const migrations: Record<string, Migration> = {
  '0001-workspace': m0001,
  '0002-operations': m0002,
  '0003-disclosure': m0003,
  '0004-deconfliction-window': m0004,
  '0005-audit-keys': m0005,
  '0006-release-approval-version': m0006,
  '0007-press-figures': m0007,
  '0008-statistics-jobs': m0008,
  '0009-inbox-settled': m0009,
  '0010-notifications': m0010,
  '0011-referral-notes-and-placements': m0011,
  '0012-tips': m0012,
  '0013-tip-ip-key': m0013,
  '0014-identifier-index': m0014,
  '0015-tip-import-jobs': m0015,
  '0016-businesses': m0016,
  '0017-campaign-tallies': m0017,
  '0018-advocate-clients': m0018,
  '0019-job-lease': m0019,
  '0020-idempotency-key': m0020,
  '0021-tip-queue-order': m0021,
  '0022-identifier-record-index': m0022,
  '0023-identifier-parent-index': m0023,
  '0024-identifier-link-agency': m0024,
};
