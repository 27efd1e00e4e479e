import { execFile } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');

/** The command line as production runs it: the compiled server in dist/, no TypeScript loader. */
export const LANTERN_BIN = path.join(REPO, 'bin/lantern');

/** How long a build may take on a loaded two-core machine (about 30 s of CPU; two minutes seen under load 20). */
export const BUILD_TIMEOUT_MS = 300_000;

/**
 * Compiles the server when its sources changed since the last build (scripts/build-server.sh: a no-op
 * when up to date, one build at a time across test files), so tests of bin/lantern test today's code.
 */
export function buildServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(path.join(REPO, 'scripts/build-server.sh'), { cwd: REPO, timeout: BUILD_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`scripts/build-server.sh failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}
