import { describe, expect, it } from 'vitest';
import { approvalsOpenTo } from './approval.ts';

const abilities = (a: Record<string, boolean>) => ({ abilities: a });

describe('approvalsOpenTo: the approval buttons come from the release’s abilities, never from roles', () => {
  it('offers nothing when the server grants no approval', () => {
    expect(approvalsOpenTo(abilities({ 'pressRelease.approve': false, 'pressRelease.approveAsPio': true }))).toEqual([]);
    expect(approvalsOpenTo(abilities({}))).toEqual([]);
  });

  it('offers each approval the server grants, the coordinator’s first', () => {
    expect(approvalsOpenTo(abilities({ 'pressRelease.approve': true, 'pressRelease.approveAsPio': true, 'pressRelease.approveAsCoordinator': true }))).toEqual([
      'coordinator',
      'pio',
    ]);
    expect(approvalsOpenTo(abilities({ 'pressRelease.approve': true, 'pressRelease.approveAsPio': true, 'pressRelease.approveAsCoordinator': false }))).toEqual(['pio']);
    expect(approvalsOpenTo(abilities({ 'pressRelease.approve': true, 'pressRelease.approveAsCoordinator': true }))).toEqual(['coordinator']);
  });

  it('offers one plain Approve when the server says only that some approval is open', () => {
    expect(approvalsOpenTo(abilities({ 'pressRelease.approve': true }))).toEqual([null]);
  });
});
