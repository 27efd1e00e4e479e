import { BUSINESS_STAGES, STAGE_OUTCOMES, type BusinessStage } from '../../../../common/businesses.ts';

/** The stages of the pipeline as the step indicator shows them (clearing is not a step but its exit). */
export const PIPELINE_STAGES: readonly BusinessStage[] = BUSINESS_STAGES.filter((s) => s !== 'cleared');

export type StepStatus = 'complete' | 'current' | 'upcoming';

/**
 * Each stage of the pipeline and where the business stands: the stages before its own are complete,
 * its own is current, the rest are to come. A cleared business has left the pipeline: every step is
 * "upcoming" (the page says it was cleared, plainly).
 */
export function stepsOf(stage: BusinessStage): { stage: BusinessStage; status: StepStatus }[] {
  const at = PIPELINE_STAGES.indexOf(stage);
  return PIPELINE_STAGES.map((s, i) => ({ stage: s, status: at < 0 ? 'upcoming' : i < at ? 'complete' : i === at ? 'current' : 'upcoming' }));
}

/** The outcomes a move to `stage` must name, or none. */
export function outcomesFor(stage: BusinessStage): readonly string[] {
  return STAGE_OUTCOMES[stage] ?? [];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const idIn = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { id?: unknown; existing?: unknown };
  if (typeof v.id === 'string' && UUID.test(v.id)) return v.id;
  if (v.existing) return idIn(v.existing);
  return undefined;
};

/**
 * The business already there when the server answers a new entry with a duplicate (409 `duplicate`):
 * its id from the error's details (`existing.id`, or `id`), or else a UUID in the message.
 */
export function duplicateOf(error: unknown): { id?: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; code?: unknown; message?: unknown; details?: unknown; field?: unknown };
  if (e.code !== 'duplicate' && !(e.status === 409 && e.code === 'conflict' && typeof e.message === 'string' && /already/i.test(e.message))) return undefined;
  let message = typeof e.message === 'string' ? e.message.trim() : '';
  // The server prefixes the field it names ("name: … is already in the registry"): the alert says it as a sentence.
  if (typeof e.field === 'string' && message.startsWith(`${e.field}:`)) message = message.slice(e.field.length + 1).trim();
  message = message.charAt(0).toUpperCase() + message.slice(1);
  if (message && !/[.!?]$/.test(message)) message = `${message}.`;
  const id = idIn(e.details) ?? UUID.exec(message)?.[0];
  return { ...(id ? { id: id.toLowerCase() } : {}), message };
}
