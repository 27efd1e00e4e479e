import type { AppContext } from '../context.ts';
import { loadActor } from '../auth/actor.ts';
import { TestClock } from '../lib/clock.ts';
import { approvePressRelease, draftPressRelease, publishPressRelease } from '../modules/disclosure/press-releases.service.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };

/**
 * Publishes the story's press release as Oak Grove's public-information officer did: drafted from the
 * recorded outcome, approved by the PIO and the lead coordinator, through the same guards as any other.
 */
export async function loadDemoPressRelease(ctx: AppContext): Promise<{ created: boolean }> {
  if (await ctx.db.selectFrom('setting').select('key').where('key', '=', 'demo.pressRelease').executeTakeFirst()) return { created: false };
  const user = async (local: string) =>
    loadActor(ctx.db, (await ctx.db.selectFrom('app_user').select('id').where('email', '=', `${local}@${DEMO_EMAIL_DOMAIN}`).executeTakeFirstOrThrow()).id);
  const pio = await user('pio');
  const coordinator = await user('coordinator');
  const story = await ctx.db.selectFrom('operation').select('id').where('name', '=', 'Operation Harvest Moon (demo)').executeTakeFirst();
  if (!story) return { created: false };
  // As it happened: drafted, approved and published the morning after the operation.
  const clock = new TestClock(new Date('2020-10-24T14:00:00.000Z'));
  const at = { ...ctx, clock };
  const draft = await draftPressRelease(at, pio, story.id, { datelineCity: 'Oak Grove' }, meta);
  clock.advance(45 * 60_000);
  await approvePressRelease(at, coordinator, draft.id, 'coordinator', meta);
  clock.advance(15 * 60_000);
  await approvePressRelease(at, pio, draft.id, 'pio', meta);
  clock.advance(5 * 60_000);
  await publishPressRelease(at, pio, draft.id, meta);
  const stamp = ctx.clock.now().toISOString();
  await ctx.db.insertInto('setting').values({ key: 'demo.pressRelease', value: stamp, updated_at: stamp }).execute();
  return { created: true };
}
