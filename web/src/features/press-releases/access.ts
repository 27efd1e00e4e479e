import type { MeDto, OperationDto } from '../../api/types.ts';

type Who = { user: Pick<MeDto['user'], 'roles'>; agency: Pick<MeDto['agency'], 'id'>; taskForces: Pick<MeDto['taskForces'][number], 'id'>[] };

/**
 * Who writes an operation's press releases (press-releases.policy.ts): the public-information
 * officers of its task force and the coordinators of its lead agency. The server decides; this only
 * chooses what to offer.
 */
export function writesReleasesFor(me: Who, op: Pick<OperationDto, 'leadAgency' | 'taskForce'>): boolean {
  const pio = me.user.roles.includes('pio') && me.taskForces.some((tf) => tf.id === op.taskForce.id);
  const leadCoordinator = me.user.roles.includes('coordinator') && me.agency.id === op.leadAgency.id;
  return pio || leadCoordinator;
}

/** A release is drafted from the outcome of an active or closed operation. */
export const hasOutcomeToRelease = (op: Pick<OperationDto, 'status'>) => op.status === 'active' || op.status === 'closed';
