/**
 * The public's first week (issue #9, items 12 and 13): the front door at `/`, read without JavaScript,
 * in English and Spanish, at desktop and phone width, each page checked with axe: the latest news, the
 * statistics opening on the newest year with figures (every year offered, the charts drawn for the
 * phone), help with tap-to-call and tap-to-text links, the tip page, a 404 page in the reader's
 * language, and the staff's way in.
 */
import type { Browser, Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const HOTLINE = '1-888-373-7888';

const WORDS = {
  en: { locale: 'en-US', news: 'Latest news', allNews: 'All news', stats: 'See the statistics', help: 'Get help now', tip: 'How to report a tip', tipTitle: 'Report a tip', text: 'Text 233733', switchTo: 'Español', newsTitle: 'News', statsTitle: 'Public statistics', notFound: 'Page not found', heading: 'Persons contacted, by outcome, 2020', year: 'Year' },
  es: { locale: 'es-US', news: 'Últimas noticias', allNews: 'Todas las noticias', stats: 'Ver las estadísticas', help: 'Obtenga ayuda ahora', tip: 'Cómo enviar información', tipTitle: 'Enviar información', text: 'Envíe un texto al 233733', switchTo: 'English', newsTitle: 'Noticias', statsTitle: 'Estadísticas públicas', notFound: 'Página no encontrada', heading: 'Personas contactadas, por resultado, 2020', year: 'Año' },
} as const;
type Lang = keyof typeof WORDS;

interface Reader {
  /** The reader's page, without JavaScript. */
  page: Page;
  /**
   * axe (and the width check on a phone) on the page the reader is on. Both run a script in the page,
   * which a page without JavaScript refuses; the public pages have no script of their own, so the same
   * address opened in a twin browser with JavaScript is the same document.
   */
  check: (what: string) => Promise<void>;
  close: () => Promise<void>;
}

/** A reader without JavaScript, whose browser asks for `lang`. */
async function reader(browser: Browser, baseURL: string, lang: Lang, viewport: { width: number; height: number }): Promise<Reader> {
  const options = { baseURL, viewport, locale: WORDS[lang].locale, timezoneId: 'America/Chicago' };
  const context = await browser.newContext({ ...options, javaScriptEnabled: false });
  const twinContext = await browser.newContext(options);
  const page = await context.newPage();
  const twin = await twinContext.newPage();
  return {
    page,
    check: async (what) => {
      await twin.goto(page.url());
      // The tip form's one script (/tip/form.js) only adds to a page that works without it.
      await expect(twin.locator('script:not([src="/tip/form.js"])')).toHaveCount(0);
      if (viewport.width === PHONE.width) {
        // Nothing is wider than the screen: no sideways scrolling on a phone.
        const overflow = await twin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${what}: wider than the phone`).toBeLessThanOrEqual(0);
      }
      await expectAccessible(twin, what);
    },
    close: async () => {
      await Promise.all([context.close(), twinContext.close()]);
    },
  };
}

for (const lang of ['en', 'es'] as const) {
  const w = WORDS[lang];
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    test(`the front door, news and help without JavaScript (${lang}, ${size})`, async ({ browser, baseURL }) => {
      const { page, check, close } = await reader(browser, baseURL!, lang, viewport);
      try {
        const res = await page.goto('/');
        expect(res?.status()).toBe(200);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.locator('script')).toHaveCount(0);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        // Help: tap to call, tap to text, 911.
        const help = page.getByRole('region', { name: w.help });
        await expect(help.getByRole('link', { name: HOTLINE })).toHaveAttribute('href', 'tel:+18883737888');
        await expect(help.getByRole('link', { name: w.text })).toHaveAttribute('href', 'sms:233733');
        await expect(help.getByRole('link', { name: '911' })).toHaveAttribute('href', 'tel:911');
        // The latest news: the story's release, or releases other tests published since (all of operations in
        // Oak Grove), each a link to its page.
        const news = page.getByRole('region', { name: w.news });
        await expect(news.locator('a[href^="/news/"]').filter({ hasText: 'Oak Grove' }).first()).toBeVisible();
        await expect(page.getByRole('link', { name: lang === 'en' ? 'Staff sign in' : 'Acceso del personal' }).first()).toHaveAttribute('href', '/sign-in');
        await check(`the front door (${lang}, ${size})`);

        await news.getByRole('link', { name: w.allNews }).click();
        await expect(page.getByRole('heading', { level: 1, name: w.newsTitle })).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await check(`news (${lang}, ${size})`);

        // The tip page says how to report now, in the reader's language.
        await page.goto(lang === 'es' ? '/?lang=es' : '/');
        await page.getByRole('link', { name: w.tip }).click();
        await expect(page).toHaveURL(lang === 'es' ? /\/tip\?lang=es$/ : /\/tip$/);
        await expect(page.getByRole('heading', { level: 1, name: w.tipTitle })).toBeVisible();
        const main = page.getByRole('main');
        await expect(main.getByRole('link', { name: HOTLINE })).toHaveAttribute('href', 'tel:+18883737888');
        await expect(main.getByRole('link', { name: w.text })).toHaveAttribute('href', 'sms:233733');
        await expect(main.getByRole('link', { name: '911' })).toHaveAttribute('href', 'tel:911');
        await check(`tip (${lang}, ${size})`);

        // The language switch keeps the page.
        await page.getByRole('link', { name: w.switchTo }).click();
        await expect(page).toHaveURL(new RegExp(`/tip\\?lang=${lang === 'en' ? 'es' : 'en'}$`));
        await expect(page.getByRole('heading', { level: 1, name: WORDS[lang === 'en' ? 'es' : 'en'].tipTitle })).toBeVisible();
      } finally {
        await close();
      }
    });

    test(`statistics open on the newest year with figures, offer every year, and fit the screen (${lang}, ${size})`, async ({ browser, baseURL }) => {
      const { page, check, close } = await reader(browser, baseURL!, lang, viewport);
      try {
        await page.goto(lang === 'es' ? '/?lang=es' : '/');
        await page.getByRole('link', { name: w.stats }).click();
        await expect(page.getByRole('heading', { level: 1, name: w.statsTitle })).toBeVisible();
        // The demo's only figures shown are the story's quarter: the page opens on 2020, not on an empty current year.
        await expect(page.locator('#stat-heading')).toHaveText(w.heading);
        const years = page.getByLabel(w.year, { exact: true });
        await expect(years).toHaveValue('2020');
        const options = years.locator('option');
        const offered: string[] = [];
        for (let i = 0; i < (await options.count()); i++) offered.push((await options.nth(i).getAttribute('value'))!);
        // Every year of the release, newest first, from the story's 2020 on.
        const newest = Number(offered[0]);
        expect(newest).toBeGreaterThanOrEqual(new Date().getFullYear() - 1);
        expect(offered).toEqual(Array.from({ length: newest - 2019 }, (_, i) => String(newest - i)));
        // One chart drawing per width: the phone's is drawn at the phone's width, so its text is read at its size.
        const wide = page.locator('svg.lantern-chart:not(.lantern-chart--narrow)').first();
        const narrow = page.locator('svg.lantern-chart--narrow').first();
        if (size === 'phone') {
          await expect(narrow).toBeVisible();
          await expect(wide).toBeHidden();
          const box = (await narrow.boundingBox())!;
          expect(box.width).toBeGreaterThan(300);
          expect(box.width).toBeLessThanOrEqual(PHONE.width);
        } else {
          await expect(wide).toBeVisible();
          await expect(narrow).toBeHidden();
        }
        await check(`statistics (${lang}, ${size})`);
      } finally {
        await close();
      }
    });
  }
}

test('an unknown address is a 404 page in the reader’s language, with a way on', async ({ browser, baseURL }) => {
  for (const [lang, viewport] of [['es', PHONE], ['en', DESKTOP]] as const) {
    const { page, check, close } = await reader(browser, baseURL!, lang, viewport);
    try {
      const res = await page.goto('/informacion-que-no-existe');
      expect(res?.status()).toBe(404);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1, name: WORDS[lang].notFound })).toBeVisible();
      await expect(page.getByRole('link', { name: HOTLINE }).first()).toHaveAttribute('href', 'tel:+18883737888');
      await check(`404 (${lang})`);
      await page.getByRole('link', { name: lang === 'es' ? 'Ir a la página principal' : 'Go to the home page' }).click();
      await expect(page.getByRole('heading', { level: 2, name: WORDS[lang].news })).toBeVisible();
    } finally {
      await close();
    }
  }
});

test('“Staff sign in” reaches the sign-in page; a staff deep link still opens the web app', async ({ pageAs }) => {
  const visitor = await pageAs(null);
  await visitor.goto('/');
  await visitor.getByRole('link', { name: 'Staff sign in' }).first().click();
  await expect(visitor).toHaveURL(/\/sign-in$/);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
  await visitor.goto('/operations');
  await expect(visitor).toHaveURL(/\/sign-in\?redirect=%2Foperations$/);
});

test('the platform administrator names the task force and the public header shows it', async ({ pageAs }) => {
  const platform = await pageAs('platform');
  await platform.goto('/admin/settings');
  const nameEn = platform.getByLabel('Name in English');
  await expect(nameEn).toHaveValue('');
  await expect(platform.getByRole('img', { name: 'Lantern’s own mark, shown until you choose one' })).toBeVisible();
  await expectAccessible(platform, 'settings: the task force on the public site');
  const save = platform.getByRole('button', { name: 'Save name and mark' });
  const name = 'Western Missouri Human Trafficking Task Force';
  await nameEn.fill(name);
  await save.click();
  await expect(platform.getByText('The name and mark are saved.')).toBeVisible();
  try {
    const reader = await pageAs(null);
    await reader.goto('/');
    await expect(reader.getByRole('banner').getByRole('link', { name })).toBeVisible();
    await expect(reader.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(reader.getByRole('banner').locator('img.lantern-mark')).toHaveAttribute('src', '/static/lantern-mark.svg');
  } finally {
    // Back to the default, for the other tests' readers.
    await nameEn.fill('');
    await save.click();
    await expect(platform.getByText('The name and mark are saved.')).toBeVisible();
  }
});
