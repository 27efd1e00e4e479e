/**
 * The 50 states and the District of Columbia: what Lantern needs to serve a state's task force. FIPS and
 * postal codes are the Census Bureau's; `ap` is the Associated Press's abbreviation for datelines (AP
 * spells out eight states); `timeZone` is the IANA zone where most of the state lives (an operator whose
 * task force sits in another zone of the state sets LANTERN_TIME_ZONE).
 */
export interface UsState {
  fips: string;
  postal: string;
  name: { en: string; es: string };
  ap: string;
  timeZone: string;
}

const row = (fips: string, postal: string, en: string, es: string, ap: string, timeZone: string): UsState => ({ fips, postal, name: { en, es }, ap, timeZone });

export const US_STATES: readonly UsState[] = [
  row('01', 'AL', 'Alabama', 'Alabama', 'Ala.', 'America/Chicago'),
  row('02', 'AK', 'Alaska', 'Alaska', 'Alaska', 'America/Anchorage'),
  row('04', 'AZ', 'Arizona', 'Arizona', 'Ariz.', 'America/Phoenix'),
  row('05', 'AR', 'Arkansas', 'Arkansas', 'Ark.', 'America/Chicago'),
  row('06', 'CA', 'California', 'California', 'Calif.', 'America/Los_Angeles'),
  row('08', 'CO', 'Colorado', 'Colorado', 'Colo.', 'America/Denver'),
  row('09', 'CT', 'Connecticut', 'Connecticut', 'Conn.', 'America/New_York'),
  row('10', 'DE', 'Delaware', 'Delaware', 'Del.', 'America/New_York'),
  row('11', 'DC', 'District of Columbia', 'Distrito de Columbia', 'D.C.', 'America/New_York'),
  row('12', 'FL', 'Florida', 'Florida', 'Fla.', 'America/New_York'),
  row('13', 'GA', 'Georgia', 'Georgia', 'Ga.', 'America/New_York'),
  row('15', 'HI', 'Hawaii', 'Hawái', 'Hawaii', 'Pacific/Honolulu'),
  row('16', 'ID', 'Idaho', 'Idaho', 'Idaho', 'America/Boise'),
  row('17', 'IL', 'Illinois', 'Illinois', 'Ill.', 'America/Chicago'),
  row('18', 'IN', 'Indiana', 'Indiana', 'Ind.', 'America/Indiana/Indianapolis'),
  row('19', 'IA', 'Iowa', 'Iowa', 'Iowa', 'America/Chicago'),
  row('20', 'KS', 'Kansas', 'Kansas', 'Kan.', 'America/Chicago'),
  row('21', 'KY', 'Kentucky', 'Kentucky', 'Ky.', 'America/New_York'),
  row('22', 'LA', 'Louisiana', 'Luisiana', 'La.', 'America/Chicago'),
  row('23', 'ME', 'Maine', 'Maine', 'Maine', 'America/New_York'),
  row('24', 'MD', 'Maryland', 'Maryland', 'Md.', 'America/New_York'),
  row('25', 'MA', 'Massachusetts', 'Massachusetts', 'Mass.', 'America/New_York'),
  row('26', 'MI', 'Michigan', 'Míchigan', 'Mich.', 'America/Detroit'),
  row('27', 'MN', 'Minnesota', 'Minnesota', 'Minn.', 'America/Chicago'),
  row('28', 'MS', 'Mississippi', 'Misisipi', 'Miss.', 'America/Chicago'),
  row('29', 'MO', 'Missouri', 'Misuri', 'Mo.', 'America/Chicago'),
  row('30', 'MT', 'Montana', 'Montana', 'Mont.', 'America/Denver'),
  row('31', 'NE', 'Nebraska', 'Nebraska', 'Neb.', 'America/Chicago'),
  row('32', 'NV', 'Nevada', 'Nevada', 'Nev.', 'America/Los_Angeles'),
  row('33', 'NH', 'New Hampshire', 'Nuevo Hampshire', 'N.H.', 'America/New_York'),
  row('34', 'NJ', 'New Jersey', 'Nueva Jersey', 'N.J.', 'America/New_York'),
  row('35', 'NM', 'New Mexico', 'Nuevo México', 'N.M.', 'America/Denver'),
  row('36', 'NY', 'New York', 'Nueva York', 'N.Y.', 'America/New_York'),
  row('37', 'NC', 'North Carolina', 'Carolina del Norte', 'N.C.', 'America/New_York'),
  row('38', 'ND', 'North Dakota', 'Dakota del Norte', 'N.D.', 'America/Chicago'),
  row('39', 'OH', 'Ohio', 'Ohio', 'Ohio', 'America/New_York'),
  row('40', 'OK', 'Oklahoma', 'Oklahoma', 'Okla.', 'America/Chicago'),
  row('41', 'OR', 'Oregon', 'Oregón', 'Ore.', 'America/Los_Angeles'),
  row('42', 'PA', 'Pennsylvania', 'Pensilvania', 'Pa.', 'America/New_York'),
  row('44', 'RI', 'Rhode Island', 'Rhode Island', 'R.I.', 'America/New_York'),
  row('45', 'SC', 'South Carolina', 'Carolina del Sur', 'S.C.', 'America/New_York'),
  row('46', 'SD', 'South Dakota', 'Dakota del Sur', 'S.D.', 'America/Chicago'),
  row('47', 'TN', 'Tennessee', 'Tennessee', 'Tenn.', 'America/Chicago'),
  row('48', 'TX', 'Texas', 'Texas', 'Texas', 'America/Chicago'),
  row('49', 'UT', 'Utah', 'Utah', 'Utah', 'America/Denver'),
  row('50', 'VT', 'Vermont', 'Vermont', 'Vt.', 'America/New_York'),
  row('51', 'VA', 'Virginia', 'Virginia', 'Va.', 'America/New_York'),
  row('53', 'WA', 'Washington', 'Washington', 'Wash.', 'America/Los_Angeles'),
  row('54', 'WV', 'West Virginia', 'Virginia Occidental', 'W.Va.', 'America/New_York'),
  row('55', 'WI', 'Wisconsin', 'Wisconsin', 'Wis.', 'America/Chicago'),
  row('56', 'WY', 'Wyoming', 'Wyoming', 'Wyo.', 'America/Denver'),
];

/** A state by postal code ("MO", any case) or FIPS code ("29"); null when there is none. */
export function findState(code: string): UsState | null {
  const c = code.trim().toUpperCase();
  return US_STATES.find((s) => s.postal === c || s.fips === c) ?? null;
}

/** A state by FIPS code, for a county's first two digits; null outside the 50 states and D.C. */
export const stateByFips = (fips: string): UsState | null => US_STATES.find((s) => s.fips === fips) ?? null;
