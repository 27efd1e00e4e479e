/** The inbox's "unread only" filter, kept in the URL. */
export function validateInboxSearch(search: Record<string, unknown>): { unread?: true } {
  return search.unread === true || search.unread === 'true' ? { unread: true } : {};
}
