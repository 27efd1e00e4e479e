import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import type { TipSource } from '../../../common/tips.ts';
import { AppError } from '../../lib/errors.ts';

export interface FileTipInput extends TipFields {
  source: TipSource;
  /** When the tipster made the tip (a hotline tip was made before it was imported); default now. */
  receivedAt?: string | undefined;
  /** The hotline's reference: a second tip with it is refused (conflict naming the first). */
  externalRef?: string | undefined;
}

export interface FiledTip {
  tipId: string;
  /** Shown once to the tipster; stored only as a keyed hash. */
  receipt: string;
  urgent: boolean;
}

/**
 * STUB (intake helper replaces this file): files a tip — validate, route, encrypt, index its identifiers,
 * triage, audit, one durable commit — and, after the commit, alerts on an urgent one. `by` is the staff
 * member entering a phoned-in or imported tip; null for the public form.
 */
export async function fileTip(ctx: AppContext, input: FileTipInput, by: Actor | null): Promise<FiledTip> {
  void ctx;
  void input;
  void by;
  throw new AppError('not_implemented', 501, 'Filing tips is being built.');
}
