import { api } from '../../api/client.ts';
import type { NotificationPreferencesDto, UpdateNotificationPreferencesInput } from '../../../../common/schemas/notifications.ts';

/** The account page's email choices (GET/PUT /api/me/notification-preferences). */
export const notificationPreferences = {
  get: (signal?: AbortSignal) => api.get<NotificationPreferencesDto>('/api/me/notification-preferences', { signal }),
  save: (input: UpdateNotificationPreferencesInput) => api.put<NotificationPreferencesDto>('/api/me/notification-preferences', input),
};

export const notificationPreferencesKey = ['account', 'notification-preferences'] as const;
