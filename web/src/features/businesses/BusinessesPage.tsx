/** Businesses (issue #11): being built. */
export function BusinessesPage() {
  return <h1>Businesses</h1>;
}
