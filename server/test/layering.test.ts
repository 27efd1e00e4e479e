import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run lint` runs dependency-cruiser with .dependency-cruiser.cjs. These tests plant the layering
 * mistakes issue #7 found (an import cycle, a module reading another module's queries, a route importing
 * the app) in a scratch module and check that the same command refuses each one.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const probe = path.join(root, 'server/modules', `zz-layering-probe-${process.pid}`);

async function cruise(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(path.join(root, 'node_modules/.bin/depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', path.relative(root, dir)], { cwd: root });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

function plant(name: string, files: Record<string, string>) {
  const dir = path.join(probe, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('layering rules', () => {
  beforeAll(() => fs.mkdirSync(probe, { recursive: true }));
  afterAll(() => fs.rmSync(probe, { recursive: true, force: true }));

  it('refuses an import cycle', async () => {
    const dir = plant('cycle', {
      'a.service.ts': "import { b } from './b.service.ts';\nexport const a = () => b();\n",
      'b.service.ts': "import { a } from './a.service.ts';\nexport const b = (): number => (a ? 1 : 0);\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('no-circular');
  }, 120_000);

  it("refuses a module reading another module's queries, and a route importing the app", async () => {
    const dir = plant('reach', {
      'reach.service.ts': "import * as ops from '../../operations/operations.queries.ts';\nexport const reach = ops;\n",
      'reach.routes.ts': "import type { App } from '../../../app.ts';\nexport type Reach = App;\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('modules-through-services');
    expect(result.out).toContain('routes-not-through-app');
  }, 120_000);

  it('accepts a module that calls another through its service', async () => {
    const dir = plant('clean', {
      'clean.service.ts': "import { unsafeAgencyById } from '../../agencies/agencies.service.ts';\nexport const clean = unsafeAgencyById;\n",
    });
    const result = await cruise(dir);
    expect(result.out).not.toContain('error');
    expect(result.code).toBe(0);
  }, 120_000);
});
