import { z } from 'zod';

/**
 * The task force's name and mark, printed in the public site's header (issue #9, item 12). Kept in the
 * `setting` table; a platform administrator changes them on the settings page. Empty names mean the
 * default ("Human trafficking task force", in the reader's language); no mark means Lantern's own.
 */

/** The largest mark accepted: a small PNG, JPEG or SVG logo, sent as a data: URL. */
export const SITE_MARK_MAX_CHARS = 64_000;

/** A data: URL of a PNG, JPEG or SVG image. A page shows it only as an <img>, where an SVG runs no script. */
export const siteMark = z
  .string()
  .max(SITE_MARK_MAX_CHARS, { message: 'must be an image under 48 KB' })
  .regex(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, { message: 'must be a PNG, JPEG or SVG image' });

const siteName = z.string().trim().max(100, { message: 'must be at most 100 characters' });

export const siteDto = z.object({
  /** The names as set ('' = the default). */
  name: z.object({ en: z.string(), es: z.string() }),
  /** The names the public pages print. */
  shownName: z.object({ en: z.string(), es: z.string() }),
  /** The mark as set, or null for Lantern's own. */
  mark: z.string().nullable(),
});
export type SiteDto = z.infer<typeof siteDto>;

export const updateSiteInput = z.object({
  name: z.object({ en: siteName, es: siteName }),
  mark: siteMark.nullable(),
});
export type UpdateSiteInput = z.input<typeof updateSiteInput>;
