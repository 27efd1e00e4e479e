/**
 * A copy of `value` without the `length` keys whose value is an object or array: zod's length checks
 * (`.max`) still run after a failed type check when the value has a `length`, and a crafted
 * `{"length": {"toString": false}}` then throws while comparing instead of failing validation.
 */
export function withoutLengthTraps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLengthTraps);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!(k === 'length' && v !== null && typeof v === 'object')) out[k] = withoutLengthTraps(v);
  return out;
}
