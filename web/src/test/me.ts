import type { MeDto } from '../api/types.ts';

/** The signed-in coordinator of the pages' component tests: Oak Grove PD, one task force. */
export const TEST_AGENCY = '00000000-0000-4000-8000-0000000000a1';
export const TEST_TASK_FORCE = '00000000-0000-4000-8000-0000000000f1';
export const TEST_ME_ID = '00000000-0000-4000-8000-0000000000b1';

/** `GET /api/me` for that coordinator, with the abilities a test gives them. */
export function coordinatorMe(abilities: Record<string, boolean>): MeDto {
  return {
    user: { id: TEST_ME_ID, email: 'casey@ogpd.example', displayName: 'Casey Coordinator', roles: ['coordinator'], platformAdmin: false, mustChangePassword: false },
    agency: { id: TEST_AGENCY, name: 'Oak Grove Police Department', kind: 'law_enforcement' },
    taskForces: [{ id: TEST_TASK_FORCE, name: 'Jackson County Task Force' }],
    session: { idleExpiresAt: '2030-01-01T00:00:00.000Z', absoluteExpiresAt: '2030-01-01T00:00:00.000Z' },
    abilities,
  };
}
