import { z } from 'zod';

/**
 * `GET /api/demo`: what a signed-out page tells a visitor of this Lantern (issue #9, item 15): whether it
 * holds the demo task force, whose passwords are published (then it is no place for real records), and
 * where the public site is.
 */
export const demoStatusDto = z.object({
  demo: z.boolean(),
  /** The public site's front page, a path on this Lantern. */
  publicSite: z.string(),
});
export type DemoStatusDto = z.infer<typeof demoStatusDto>;
