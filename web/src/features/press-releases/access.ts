import type { OperationDto } from '../../api/types.ts';

/**
 * Whether to offer writing this operation's press releases: the operation's `pressRelease.create`
 * ability (the server's grant: the public-information officers of its task force and the coordinators
 * of its lead agency). The server decides; this only chooses what to offer.
 */
export const writesReleasesFor = (op: Pick<OperationDto, 'abilities'>): boolean => op.abilities['pressRelease.create'] === true;

/** A release is drafted from the outcome of an active or closed operation. */
export const hasOutcomeToRelease = (op: Pick<OperationDto, 'status'>) => op.status === 'active' || op.status === 'closed';
