import fs from 'node:fs';
import path from 'node:path';
import { totpCode } from '../../server/auth/mfa.ts';
import type { Credentials } from './accounts.ts';
import { dataDirOf, type Backend } from './env.ts';
import { withFileLock } from './locks.ts';

export { totpCode };

const STEP_MS = 30_000;
/** The server also takes the previous step's code; use it only with this much of the step left. */
const PREVIOUS_STEP_MARGIN_MS = 6_000;

const stepOf = (ms: number) => Math.floor(ms / STEP_MS);

/**
 * Gives `use` a TOTP code the server will accept for this account, and holds it until `use` is done.
 *
 * The server takes a code from the current step or one either side, but never a step at or before the
 * last one it accepted for the user (replay protection). Every worker that signs a user in goes
 * through here, so codes are handed out in increasing steps and submitted in that order: up to three
 * sign-ins per user within one 30-second step without waiting, and a wait for the next step after that.
 */
export async function withTotpCode<T>(backend: Backend, who: Credentials, use: (code: string) => Promise<T>): Promise<T> {
  const dir = path.join(dataDirOf(backend), 'e2e-totp');
  fs.mkdirSync(dir, { recursive: true });
  const key = who.email.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const file = path.join(dir, `${key}.json`);
  return withFileLock(path.join(dir, `${key}.lock`), async () => {
    const last = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { step: number }).step : -Infinity;
    let step: number;
    for (;;) {
      const now = Date.now();
      const current = stepOf(now);
      const left = STEP_MS - (now % STEP_MS);
      const usable = [current - 1, current, current + 1].filter((s) => s > last && (s !== current - 1 || left > PREVIOUS_STEP_MARGIN_MS));
      if (usable.length > 0) {
        step = usable[0]!;
        break;
      }
      await new Promise((r) => setTimeout(r, left + 50));
    }
    fs.writeFileSync(file, JSON.stringify({ step }));
    return use(totpCode(who.totpSecret, new Date(step * STEP_MS)));
  });
}

/** A six-digit code that is none of the codes the server would accept around now. */
export function wrongTotpCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, new Date(now + d * STEP_MS))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}
