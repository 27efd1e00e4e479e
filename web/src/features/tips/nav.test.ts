import { describe, expect, it } from 'vitest';
import { navItems } from '../../app/nav.ts';
import { isStaffPath } from '../../../../common/staff-paths.ts';

const who = (abilities: Record<string, boolean>) => ({ abilities, taskForces: [] });

describe('the tip queue in the navigation', () => {
  it('is offered to those who work tips (the `tip.read` ability), after Operations', () => {
    expect(navItems(who({ 'tip.read': true })).map((i) => i.key)).toEqual(['home', 'tipQueue', 'inbox', 'account']);
    expect(navItems(who({ 'operation.read': true, 'tip.read': true })).map((i) => i.to)).toEqual(['/home', '/operations', '/tip-queue', '/inbox', '/account']);
    expect(navItems(who({ 'tip.create': true })).map((i) => i.key)).not.toContain('tipQueue');
  });

  it('lives under a staff section, apart from the public /tip and /tips', () => {
    expect(isStaffPath('/tip-queue')).toBe(true);
    expect(isStaffPath('/tip-queue/new')).toBe(true);
    expect(isStaffPath('/tip')).toBe(false);
    expect(isStaffPath('/tips')).toBe(false);
    expect(isStaffPath('/tip/status')).toBe(false);
  });
});
