/** New business (issue #11): being built. */
export function BusinessNewPage() {
  return <h1>New business</h1>;
}
