import { describe, expect, it } from 'vitest';
import { GroupCommit, type Settled } from './group-commit.ts';

/** A writer whose batches finish when the test says so. */
function heldWriter() {
  const batches: number[][] = [];
  const release: (() => void)[] = [];
  const write = async (jobs: number[]): Promise<Settled<string>[]> => {
    batches.push(jobs);
    await new Promise<void>((resolve) => release.push(resolve));
    return jobs.map((j) => (j < 0 ? { ok: false, error: new Error(`job ${j} refused`) } : { ok: true, value: `filed ${j}` }));
  };
  return { batches, release, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('jobs of one moment go in one batch; those arriving while it is written wait for the next, together', async () => {
    const w = heldWriter();
    const group = new GroupCommit({ maxBatch: 10, concurrency: 1, write: w.write });
    const first = [1, 2, 3].map((j) => group.submit(j));
    await turn();
    expect(w.batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((j) => group.submit(j));
    await turn();
    expect(w.batches).toHaveLength(1);
    w.release.shift()!();
    expect(await Promise.all(first)).toEqual(['filed 1', 'filed 2', 'filed 3']);
    await turn();
    expect(w.batches).toEqual([[1, 2, 3], [4, 5]]);
    w.release.shift()!();
    expect(await Promise.all(second)).toEqual(['filed 4', 'filed 5']);
    expect(group.sizeCounts.flatMap((n, size) => Array<number>(n).fill(size))).toEqual([2, 3]);
  });

  it('caps a batch, runs up to `concurrency` batches at once, and fails only the job whose result is a failure', async () => {
    const w = heldWriter();
    const group = new GroupCommit({ maxBatch: 2, concurrency: 2, write: w.write });
    const jobs = [1, -2, 3, 4, 5].map((j) => group.submit(j).then(String, (e: Error) => e.message));
    await turn();
    expect(w.batches).toEqual([
      [1, -2],
      [3, 4],
    ]);
    w.release.shift()!();
    w.release.shift()!();
    await turn();
    await turn();
    expect(w.batches.at(-1)).toEqual([5]);
    w.release.shift()!();
    expect(await Promise.all(jobs)).toEqual(['filed 1', 'job -2 refused', 'filed 3', 'filed 4', 'filed 5']);
  });

  it('a batch whose write throws fails each of its jobs with that error, and the next batch still runs', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>({
      maxBatch: 10,
      concurrency: 1,
      write: async (jobs) => {
        if (calls++ === 0) throw new Error('database gone');
        return jobs.map((j) => ({ ok: true, value: j * 10 }));
      },
    });
    const failed = [1, 2].map((j) => group.submit(j).catch((e: Error) => e.message));
    expect(await Promise.all(failed)).toEqual(['database gone', 'database gone']);
    expect(await group.submit(3)).toBe(30);
  });
});
