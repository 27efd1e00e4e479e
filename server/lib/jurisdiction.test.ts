import { describe, expect, it } from 'vitest';
import { US_STATES } from '../../common/states.ts';
import { countiesOfState } from '../../common/schemas/jurisdiction.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { AP_STATES } from '../modules/disclosure/ap-style.ts';
import { jurisdictionOf, JurisdictionError } from './jurisdiction.ts';

describe('jurisdiction', () => {
  it('serves the 50 states and D.C., each with its counties and a map of exactly those counties', () => {
    expect(US_STATES).toHaveLength(51);
    expect(new Set(US_STATES.map((s) => s.postal)).size).toBe(51);
    for (const s of US_STATES) {
      const j = jurisdictionOf(s.postal);
      expect(j.state.fips, s.postal).toBe(s.fips);
      expect(j.counties.length, s.postal).toBeGreaterThan(0);
      expect(j.countyFips.every((f) => /^\d{5}$/.test(f) && f.startsWith(s.fips)), s.postal).toBe(true);
      expect([...j.countyFips], s.postal).toEqual([...j.countyFips].sort());
      // County names tell counties apart within a state (St. Louis and St. Louis City).
      expect(new Set(j.counties.map((c) => c.name.en)).size, s.postal).toBe(j.counties.length);
      const shapes = j.countyFeatures().features.map((f) => String(f.id));
      expect(shapes.sort(), s.postal).toEqual([...j.countyFips]);
      expect(AP_STATES[s.fips], s.postal).toEqual({ en: s.ap, es: s.name.es });
    }
  });

  it.each([
    ['MO', 115, 'America/Chicago'],
    ['KS', 105, 'America/Chicago'],
    ['OR', 36, 'America/Los_Angeles'],
    ['TX', 254, 'America/Chicago'],
    ['VA', 133, 'America/New_York'],
    ['DE', 3, 'America/New_York'],
    ['DC', 1, 'America/New_York'],
    ['AK', 29, 'America/Anchorage'],
    ['HI', 5, 'Pacific/Honolulu'],
  ])('%s has %i counties and defaults to %s', (postal, count, zone) => {
    const j = jurisdictionOf(postal);
    expect(j.counties).toHaveLength(count);
    expect(j.timeZone).toBe(zone);
  });

  it('accepts a postal code in any case or a FIPS code, and a time zone override', () => {
    expect(jurisdictionOf('mo')).toBe(jurisdictionOf('29'));
    expect(jurisdictionOf(' Or ').state.name).toEqual({ en: 'Oregon', es: 'Oregón' });
    expect(jurisdictionOf('KS', 'America/Denver').timeZone).toBe('America/Denver');
  });

  it('names counties as the tables print them, telling an independent city from its county', () => {
    const mo = jurisdictionOf('MO');
    expect(mo.countyName('29095')).toBe('Jackson');
    expect(mo.countyName('29189')).toBe('St. Louis');
    expect(mo.countyName('29510')).toBe('St. Louis City');
    expect(mo.countyName('29510', 'es')).toBe('Ciudad de St. Louis');
    expect(mo.hasCounty('29095')).toBe(true);
    expect(mo.hasCounty('20091')).toBe(false);
    expect(mo.countyName('20091')).toBe('20091');
    expect(jurisdictionOf('VA').countyName('51760')).toBe('Richmond City');
    expect(jurisdictionOf('MD').countyName('24510')).toBe('Baltimore City');
  });

  it('names the time zone as reports print it', () => {
    expect(jurisdictionOf('MO').timeZoneName('en')).toBe('Central time');
    expect(jurisdictionOf('MO').timeZoneName('es')).toBe('hora central');
    expect(jurisdictionOf('OR').timeZoneName('en')).toBe('Pacific time');
  });

  it('a wrong state or time zone is an error that names the setting', () => {
    for (const bad of ['XX', 'Missouri', '', '99', 'PR']) {
      expect(() => jurisdictionOf(bad)).toThrow(JurisdictionError);
      expect(() => jurisdictionOf(bad)).toThrow(/^LANTERN_STATE: .* is not a U\.S\. state/);
    }
    expect(() => jurisdictionOf('MO', 'Central')).toThrow(/^LANTERN_TIME_ZONE: "Central" is not an IANA time zone/);
    expect(() => jurisdictionOf('MO', 'Mars/Olympus_Mons')).toThrow(/LANTERN_TIME_ZONE/);
  });

  it('is configured by LANTERN_STATE and LANTERN_TIME_ZONE, Missouri by default', () => {
    expect(loadConfig({})).toMatchObject({ state: 'MO', timeZone: 'America/Chicago' });
    expect(loadConfig({ LANTERN_STATE: 'or' })).toMatchObject({ state: 'OR', timeZone: 'America/Los_Angeles' });
    expect(loadConfig({ LANTERN_STATE: '20', LANTERN_TIME_ZONE: 'America/Denver' })).toMatchObject({ state: 'KS', timeZone: 'America/Denver' });
    expect(() => loadConfig({ LANTERN_STATE: 'XX' })).toThrow(ConfigError);
    expect(() => loadConfig({ LANTERN_STATE: 'XX' })).toThrow(/LANTERN_STATE: "XX" is not a U\.S\. state/);
    expect(() => loadConfig({ LANTERN_TIME_ZONE: 'CST' })).toThrow(/LANTERN_TIME_ZONE: "CST"/);
  });

  it("the shared counties rule accepts the state's counties and refuses another state's", () => {
    const rule = countiesOfState(jurisdictionOf('KS'));
    expect(rule.safeParse(['20091', '20209']).success).toBe(true);
    const refused = rule.safeParse(['20091', '29095']);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: [1], message: 'is not a county of Kansas' });
    expect(rule.safeParse(['2009']).success).toBe(false);
  });
});
