import type { App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { demoRoutes } from '../demo/demo.routes.ts';
import { meRoutes } from './me/me.routes.ts';
import { accountRoutes } from './account/account.routes.ts';
import { agencyRoutes } from './agencies/agencies.routes.ts';
import { taskForceRoutes } from './task-forces/task-forces.routes.ts';
import { userRoutes } from './users/users.routes.ts';
import { auditLogRoutes } from './audit-log/audit-log.routes.ts';
import { inboxRoutes } from './inbox/inbox.routes.ts';
import { operationRoutes } from './operations/operations.routes.ts';
import { pressReleaseRoutes } from './disclosure/press-releases.routes.ts';
import { siteRoutes } from './disclosure/site.ts';
import { contactRoutes } from './contacts/contacts.routes.ts';
import { referralRoutes } from './referrals/referrals.routes.ts';
import { custodyRoutes } from './custody/custody.routes.ts';
import { statisticsRoutes } from './statistics/statistics.routes.ts';
import { jurisdictionRoutes } from './jurisdiction/jurisdiction.routes.ts';
import { geocodingRoutes } from './geocoding/geocoding.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { tipPublicRoutes } from './tips/tips.public.routes.ts';
import { tipImportRoutes } from './tips/tips.import.routes.ts';

/** Each module owns its routes; this is the one list of them. */
export async function registerModules(api: App, ctx: AppContext) {
  await authRoutes(api, ctx);
  await demoRoutes(api, ctx);
  await meRoutes(api, ctx);
  await accountRoutes(api, ctx);
  await agencyRoutes(api, ctx);
  await taskForceRoutes(api, ctx);
  await userRoutes(api, ctx);
  await auditLogRoutes(api, ctx);
  await inboxRoutes(api, ctx);
  await operationRoutes(api, ctx);
  await pressReleaseRoutes(api, ctx);
  await siteRoutes(api, ctx);
  await contactRoutes(api, ctx);
  await referralRoutes(api, ctx);
  await custodyRoutes(api, ctx);
  await statisticsRoutes(api, ctx);
  await jurisdictionRoutes(api, ctx);
  await geocodingRoutes(api, ctx);
  await notificationRoutes(api, ctx);
  await tipPublicRoutes(api, ctx);
  await tipImportRoutes(api, ctx);
}
