import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { WorkPhoneDto } from '../../../../common/schemas/auth.ts';

/** The signed-in person's own work phone (GET/PATCH /api/account/phone). */
export const workPhone = {
  get: (signal?: AbortSignal) => api.get<WorkPhoneDto>('/api/account/phone', { signal }),
  save: (phone: string | null) => api.patch<WorkPhoneDto>('/api/account/phone', { phone }),
};

export const workPhoneKey = ['account', 'phone'] as const;

/** Read by the account page, and by the referral and hand-off forms to fill in the officer's number. */
export const workPhoneQuery = queryOptions({ queryKey: workPhoneKey, queryFn: ({ signal }) => workPhone.get(signal) });
