/** A business's landlord, contact history and notice letters, shown on the business's page (issue #11). Being built. */
export function BusinessLettersSection(_props: { businessId: string }) {
  return null;
}
