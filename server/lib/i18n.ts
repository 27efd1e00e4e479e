import { createInstance, type TOptions } from 'i18next';
import en from '../i18n/en.json' with { type: 'json' };
import es from '../i18n/es.json' with { type: 'json' };

/**
 * The server's words (the public pages) in i18next catalogs, like the web app's (issue #7, item 7):
 * server/i18n/en.json and es.json. Its own i18next instance, initialised synchronously at import, so a
 * page can be rendered as soon as the module is loaded. English is the fallback.
 *
 * Interpolation does not escape: every page goes through `html` (server/lib/html.ts), which escapes each
 * interpolated value once, and feeds, CSV and PDF escape (or need no escaping) on their own. Escaping
 * here too would print `&amp;amp;`.
 *
 * A count in a message uses i18next plurals: `key_one`/`key_other` in English and
 * `key_one`/`key_many`/`key_other` in Spanish (i18next 26 asks Spanish for a `many` form; without it the
 * raw key shows). server/i18n/catalogs.test.ts checks the two catalogs have the same keys and forms.
 */

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];
export const catalogs = { en, es } as const;
/** The shape of a catalog (the English one; the Spanish one has the same keys). */
export type Catalog = typeof en;

const i18n = createInstance();
void i18n.init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en', 'es'],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
});

type PluralSuffix = '_zero' | '_one' | '_two' | '_few' | '_many' | '_other';
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string | readonly unknown[] ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
type WithoutPlural<K extends string> = K extends `${infer Base}${PluralSuffix}` ? Base : K;

/** A key of the English catalog, plural forms named by their base (`count` for `count_one`, `count_other`). */
export type MessageKey = WithoutPlural<Paths<typeof en>>;

/**
 * i18next's own `t` is typed by the web app's catalog (web/src/i18n declares it for the whole program),
 * so the server calls it untyped and types its keys itself.
 */
const translate = i18n.t.bind(i18n) as unknown as (key: string, options: TOptions) => unknown;

/** The message `key` in `lang`, with `{{values}}` filled in; `count` chooses the plural form. */
export function t(lang: Lang, key: MessageKey, options: TOptions = {}): string {
  return String(translate(key, { ...options, lng: lang }));
}

/** A list in the catalog (an array of strings), e.g. the signs on the help page. */
export function list(lang: Lang, key: MessageKey): string[] {
  const value = translate(key, { lng: lang, returnObjects: true });
  if (!Array.isArray(value)) throw new Error(`${key} is not a list in the ${lang} catalog`);
  return value.map(String);
}

/** Whether the catalog of `lang` (or English, its fallback) has `key`: for keys built from data. */
export const has = (lang: Lang, key: string) => i18n.exists(key, { lng: lang });

/** Plural suffixes i18next asks for in `lang` (`_one`, `_other`; Spanish adds `_many`). */
export const pluralSuffixes = (lang: Lang): string[] => i18n.services.pluralResolver.getSuffixes(lang);
