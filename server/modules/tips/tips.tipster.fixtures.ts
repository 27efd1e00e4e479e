import type { TestEnv } from '../../test/harness.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { receiptHash, submitPublicTip } from './tips.tipster.intake.ts';

/** Tips and staff messages for the tipster's tests. */

export const someTip = (over: Partial<TipFields> = {}): TipFields => ({
  narrative: 'Two women are driven to the spa on Main Street every night and never leave alone.',
  zip: '64075',
  phones: [],
  emails: [],
  online: [],
  businesses: [],
  minorInvolved: false,
  immediateDanger: false,
  language: 'en',
  ...over,
});

/** Files a tip as the public form would, and returns its receipt and row. */
export async function fileTestTip(env: TestEnv, over: Partial<TipFields> = {}) {
  const { receipt } = await submitPublicTip(env.ctx, { ip: '203.0.113.9', fields: someTip(over), altcha: null });
  const tip = await env.ctx.db.selectFrom('tip').selectAll().where('receipt_hash', '=', receiptHash(env.ctx, receipt)).executeTakeFirstOrThrow();
  return { receipt, tip };
}

/** A message from staff to the tipster, as the queue's reply will write it (sealed body). */
export async function insertStaffMessage(env: TestEnv, tip: { id: string; agency_id: string }, userId: string, text: string) {
  const id = newId();
  await env.ctx.db
    .insertInto('tip_message')
    .values({ id, tip_id: tip.id, agency_id: tip.agency_id, at: env.ctx.clock.now().toISOString(), from_tipster: 0, user_id: userId, body: seal(env.ctx.keyring, 'tip_message', 'body', id, text), read_at: null })
    .execute();
  return id;
}
