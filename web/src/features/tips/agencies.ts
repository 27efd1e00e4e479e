import { useQueries } from '@tanstack/react-query';
import { taskForceQuery } from '../../api/queries.ts';
import { useMe } from '../../app/me.ts';

export interface AgencyOption {
  id: string;
  name: string;
}

/**
 * The agencies of the user's task forces and the user's own, by name: the queue's agency filter and the
 * agencies a tip may be rerouted to or shared with (the server checks each is in the tip's task force).
 */
export function useTaskForceAgencies(): { agencies: AgencyOption[]; pending: boolean } {
  const me = useMe();
  const results = useQueries({ queries: me.taskForces.map((tf) => ({ ...taskForceQuery(tf.id), retry: false })) });
  const byId = new Map<string, string>();
  for (const r of results) for (const m of r.data?.members ?? []) byId.set(m.agencyId, m.name);
  byId.set(me.agency.id, me.agency.name);
  return {
    agencies: [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    pending: results.some((r) => r.isPending),
  };
}
