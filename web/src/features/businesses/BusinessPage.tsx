/** Business (issue #11): being built. */
export function BusinessPage() {
  return <h1>Business</h1>;
}
