import { useSuspenseQuery } from '@tanstack/react-query';
import { meQuery } from '../api/queries.ts';
import type { MeDto } from '../api/types.ts';

/** The signed-in user. Only for pages under the signed-in layout, which loads `me` before rendering. */
export function useMe(): MeDto {
  return useSuspenseQuery(meQuery).data;
}

/** Whether `me` may do something anywhere (resource-level ability from `GET /api/me`). */
export function useCan(): (action: string) => boolean {
  const me = useMe();
  return (action) => me.abilities[action] === true;
}
