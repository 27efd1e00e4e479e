import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { operations } from '../../api/endpoints.ts';
import { keys } from '../../api/queries.ts';
import type { ContactDto, ContactListDto, ContactSummaryDto } from '../../api/types.ts';

/** How often the field log asks for what others recorded. */
export const POLL_MS = 4_000;
/** Every so many polls, the whole list again (drops rows that were since sealed away from this user). */
const FULL_EVERY = 15;

export interface LiveContacts {
  contacts: ContactSummaryDto[];
  sealedCount: number;
  total: number;
  nextSince: string;
  polls: number;
  abilities: ContactListDto['abilities'];
}

/** Rows by id, the higher version winning; newest person first. */
export function mergeContacts(previous: readonly ContactSummaryDto[], incoming: readonly ContactSummaryDto[]): ContactSummaryDto[] {
  const byId = new Map(previous.map((c) => [c.id, c]));
  for (const c of incoming) {
    const prior = byId.get(c.id);
    if (!prior || prior.version <= c.version) byId.set(c.id, c);
  }
  return [...byId.values()].sort((a, b) => b.personNumber - a.personNumber);
}

async function poll(queryClient: QueryClient, operationId: string, signal: AbortSignal): Promise<LiveContacts> {
  const previous = queryClient.getQueryData<LiveContacts>(keys.liveContacts(operationId));
  const full = !previous || (previous.polls + 1) % FULL_EVERY === 0;
  const answer = await operations.contacts(operationId, full ? undefined : previous.nextSince, signal);
  return {
    contacts: full ? mergeContacts([], answer.contacts) : mergeContacts(previous.contacts, answer.contacts),
    sealedCount: answer.sealedCount,
    total: answer.total,
    nextSince: answer.nextSince,
    polls: (previous?.polls ?? 0) + 1,
    abilities: answer.abilities,
  };
}

/**
 * The operation's field log as several officers fill it: polls every 4 seconds with `?since=` (the
 * previous answer's `nextSince`) and merges what changed, so each sees the others' entries.
 */
export function useLiveContacts(operationId: string, enabled: boolean, running: boolean) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: keys.liveContacts(operationId),
    queryFn: ({ signal }) => poll(queryClient, operationId, signal),
    enabled,
    // Only a running operation's log changes (a closed one only by the odd correction).
    refetchInterval: running ? POLL_MS : false,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
}

/** Puts a contact just recorded (or changed) into the live list at once, before the next poll. */
export function addToLiveList(queryClient: QueryClient, operationId: string, contact: ContactDto) {
  queryClient.setQueryData<LiveContacts>(keys.liveContacts(operationId), (previous) => {
    if (!previous) return previous;
    const { dob: _dob, phones: _phones, operationStatus: _status, abilities: _abilities, ...summary } = contact;
    const known = previous.contacts.some((c) => c.id === contact.id);
    return { ...previous, contacts: mergeContacts(previous.contacts, [summary]), total: previous.total + (known ? 0 : 1) };
  });
}
