import type { Queryable } from '../../db/database.ts';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { auditActor } from '../../auth/actor.ts';
import { forbidden } from '../../lib/errors.ts';
import { t, type Lang } from '../../lib/i18n.ts';
import { siteDto, updateSiteInput, type SiteDto } from '../../../common/schemas/site.ts';
import { DEFAULT_HOTLINE } from './hotline.ts';

/** What every public page's frame needs: the task force's name and mark, and the hotline. */
export interface PublicFrame {
  site: { name: Record<Lang, string>; mark: string | null };
  hotline: { phone: string; text: string };
}

const KEYS = ['site.name.en', 'site.name.es', 'site.mark', 'hotline.phone', 'hotline.text'] as const;

async function settingsOf(db: Queryable) {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', [...KEYS]).execute();
  return (k: (typeof KEYS)[number]) => rows.find((r) => r.key === k)?.value;
}

/** The name the public pages print in `lang`: the one set, or the catalog's default. */
const shownName = (set: string | undefined, lang: Lang) => (set?.trim() ? set.trim() : t(lang, 'public.site'));

/** The task force's name and mark and the hotline, in one read (every public page asks for them). */
export async function publicFrame(db: Queryable): Promise<PublicFrame> {
  const get = await settingsOf(db);
  return {
    site: { name: { en: shownName(get('site.name.en'), 'en'), es: shownName(get('site.name.es'), 'es') }, mark: get('site.mark') || null },
    hotline: { phone: get('hotline.phone') ?? DEFAULT_HOTLINE.phone, text: get('hotline.text') ?? DEFAULT_HOTLINE.text },
  };
}

export async function siteSettings(db: Queryable): Promise<SiteDto> {
  const get = await settingsOf(db);
  const name = { en: get('site.name.en') ?? '', es: get('site.name.es') ?? '' };
  return { name, shownName: { en: shownName(name.en, 'en'), es: shownName(name.es, 'es') }, mark: get('site.mark') || null };
}

async function setSite(db: Queryable, value: { name: Record<Lang, string>; mark: string | null }, at: string) {
  for (const [key, v] of [
    ['site.name.en', value.name.en],
    ['site.name.es', value.name.es],
    ['site.mark', value.mark ?? ''],
  ] as const) {
    await db
      .insertInto('setting')
      .values({ key, value: v, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: at }))
      .execute();
  }
}

/** `GET|PUT /api/settings/site`: the task force's name and mark on the public site (platform administrators change them). */
export async function siteRoutes(app: App, ctx: AppContext) {
  const tags = ['disclosure'];
  app.get('/settings/site', { schema: { tags, summary: "The task force's name and mark on the public pages", response: { 200: siteDto } } }, async () => siteSettings(ctx.db));
  app.put(
    '/settings/site',
    { schema: { tags, summary: "Change the task force's name and mark (platform administrator)", body: updateSiteInput, response: { 200: siteDto } } },
    async (request) => {
      const actor = actorOf(request);
      if (!actor.platformAdmin) throw forbidden();
      const before = await siteSettings(ctx.db);
      const after = request.body;
      const changed = [
        ...(before.name.en !== after.name.en ? ['name.en'] : []),
        ...(before.name.es !== after.name.es ? ['name.es'] : []),
        ...(before.mark !== after.mark ? ['mark'] : []),
      ];
      await ctx.audit.transact({ actor: auditActor(actor), meta: request.meta }, async (tx) => {
        await setSite(tx.db, after, ctx.clock.now().toISOString());
        tx.audit({ action: 'settings.update', recordType: 'setting', recordId: 'site', changedFields: changed });
      });
      return siteSettings(ctx.db);
    },
  );
}
