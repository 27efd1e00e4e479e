import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { auth } from '../../api/endpoints.ts';

/**
 * Ends the session on the server, forgets everything cached from it, and goes to sign-in. Even if
 * the server cannot be reached the local state is dropped: the user asked to leave.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => auth.logout(),
    onSettled: async () => {
      await navigate({ to: '/sign-in', search: { reason: 'signedOut' } });
      queryClient.clear();
    },
  });
}
