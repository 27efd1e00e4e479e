import fs from 'node:fs';

const STALE_MS = 120_000;

/**
 * A lock shared by every Playwright worker: a directory created atomically with mkdir. A lock left
 * by a crashed worker is taken over after two minutes.
 */
export async function withFileLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + STALE_MS + 30_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > STALE_MS) fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${lockDir}`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
