/** What the tipster's pages use from intake and routing, in one place. */
export { submitPublicTip, queuedReceiptExists, type PublicTipSubmission } from './tips.public.ts';
export { normalizeReceipt, receiptHash } from './tips.intake.ts';
export { ipHash, RateLimited } from './tips.limits.ts';
export { countiesOfZip } from './tips.routing.ts';
