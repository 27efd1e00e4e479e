/** Landlord (issue #11): being built. */
export function LandlordPage() {
  return <h1>Landlord</h1>;
}
