import { z } from 'zod';
import { id, text } from './shared.ts';
import { tipStatus } from './tips.ts';

/** Why a tip moves or is shared: a short reason staff give, kept in the tip's history. */
const reason = text(300).min(1, { message: 'is required: say why' });

/** POST /api/tips/:id/reroute: move the tip to another agency's queue of its task force. */
export const rerouteTipInput = z.object({
  agencyId: id,
  reason,
  /** The version the actor saw: a tip changed since is refused (409). */
  version: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }),
});
export type RerouteTipInput = z.infer<typeof rerouteTipInput>;

/** POST /api/tips/:id/share: let another agency of the task force read the tip; the queue keeps it. */
export const shareTipInput = z.object({ agencyId: id, reason });
export type ShareTipInput = z.infer<typeof shareTipInput>;

const agencyRef = z.object({ id: z.string(), name: z.string() });

/** The tip after a reroute: where it went, and whether the actor may still read it (shared with them). */
export const reroutedTip = z.object({
  id: z.string(),
  agency: agencyRef,
  status: tipStatus,
  version: z.number(),
  routing: z.record(z.string(), z.unknown()),
  /** False when the tip left the actor's reach: the page goes back to the queue. */
  readable: z.boolean(),
});
export type ReroutedTip = z.infer<typeof reroutedTip>;

export const tipShareDto = z.object({
  tipId: z.string(),
  agency: agencyRef,
  sharedAt: z.string(),
  reason: z.string(),
});
export type TipShareDto = z.infer<typeof tipShareDto>;

/**
 * GET /api/tips/:id/destinations: the agencies a tip may be rerouted to or shared with — the other
 * tip-working agencies of its task force — and whether it is already shared with each.
 */
export const tipDestinations = z.object({
  agencies: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), sharedWith: z.boolean() })),
});
export type TipDestinations = z.infer<typeof tipDestinations>;
