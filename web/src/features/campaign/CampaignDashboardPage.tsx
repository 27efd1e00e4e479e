/** Campaign dashboard (issue #11): being built. */
export function CampaignDashboardPage() {
  return <h1>Campaign dashboard</h1>;
}
