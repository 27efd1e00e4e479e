/** Re-opening alerts (issue #11): being built. */
export function AlertsPage() {
  return <h1>Re-opening alerts</h1>;
}
