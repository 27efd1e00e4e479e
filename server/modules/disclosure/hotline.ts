import type { Queryable } from '../../db/database.ts';

/**
 * The National Human Trafficking Hotline, printed on every release and public page. A setting, because
 * the story's own release printed it wrong: 1-888-373-7888, text 233733.
 */
export const DEFAULT_HOTLINE = { phone: '1-888-373-7888', text: '233733' };

export async function hotline(db: Queryable): Promise<{ phone: string; text: string }> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', ['hotline.phone', 'hotline.text']).execute();
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { phone: get('hotline.phone') ?? DEFAULT_HOTLINE.phone, text: get('hotline.text') ?? DEFAULT_HOTLINE.text };
}

export async function setHotline(db: Queryable, value: { phone: string; text: string }, at: string) {
  for (const [key, v] of [
    ['hotline.phone', value.phone],
    ['hotline.text', value.text],
  ] as const) {
    await db
      .insertInto('setting')
      .values({ key, value: v, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: at }))
      .execute();
  }
}
