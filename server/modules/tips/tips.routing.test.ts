import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { insertAgency, insertTaskForce } from '../../test/fixtures.ts';
import { AppError } from '../../lib/errors.ts';
import { DEMO_AGENCIES, DEMO_TASK_FORCE } from '../../demo/demo-directory.ts';
import { countiesOfZip, routeTip, type RouteOptions, type TipPlace } from './tips.routing.ts';
import { setAgencyCounties } from './tips.test-support.ts';

/** The demo's directory (server/demo/demo-directory.ts): the agencies of the Oak Grove operation and their counties. */
describeEachDatabase('tip routing by jurisdiction', (backend) => {
  let env: TestEnv;
  const ids: Record<string, string> = {};
  let taskForceId: string;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    for (const a of DEMO_AGENCIES) {
      ids[a.key] = await insertAgency(env, a.name, a.kind);
      await setAgencyCounties(env.ctx, ids[a.key]!, a.counties);
    }
    taskForceId = await insertTaskForce(env, DEMO_TASK_FORCE.name, ids[DEMO_TASK_FORCE.leadKey]!, Object.values(ids));
    // An agency of no task force serving Jackson County is never chosen: a tip needs a team to land in.
    const loner = await insertAgency(env, 'A Lone Constable', 'law_enforcement');
    await setAgencyCounties(env.ctx, loner, ['29095']);
  });
  afterAll(() => env.close());

  const route = (place: TipPlace, opts?: RouteOptions) => routeTip(env.ctx, env.ctx.db, place, opts);
  const refusal = async (place: TipPlace, opts?: RouteOptions) => {
    const err = await route(place, opts).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  it('a ZIP in one county goes to the agency serving it, the most local first', async () => {
    expect(await route({ zip: '64093' })).toEqual({
      agencyId: ids.johnson,
      taskForceId,
      countyFips: '29101',
      routing: { rule: 'county', zip: '64093', countyFips: '29101', countyChosenBy: 'zip' },
    });
    // Jackson County is served by Oak Grove PD (2 counties), the sheriff (1) and KCPD (4): the sheriff.
    expect(await route({ zip: '64050' })).toMatchObject({ agencyId: ids.jackson, countyFips: '29095' });
    expect(await route({ zip: '64501' })).toMatchObject({ agencyId: ids.stjoseph, countyFips: '29021' });
  });

  it('ZIP 64075 (Oak Grove: Jackson and Lafayette) goes to Oak Grove Police Department, which serves both', async () => {
    const routed = await route({ zip: '64075' });
    expect(routed).toEqual({
      agencyId: ids.oakgrove,
      taskForceId,
      countyFips: '29095',
      routing: { rule: 'county', zip: '64075', countyFips: '29095', countyChosenBy: 'largest_share', zipCounties: ['29095', '29107'] },
    });
    // Both counties route there, so even the public form does not ask.
    expect(await route({ zip: '64075' }, { ask: true })).toEqual(routed);
    // The tipster's county, given, is kept; the ZIP's town police still serve it.
    expect(await route({ zip: '64075', countyFips: '29107' }, { ask: true })).toMatchObject({ agencyId: ids.oakgrove, countyFips: '29107', routing: { countyChosenBy: 'tipster' } });
  });

  it('a ZIP spanning counties that route apart is settled by the county given, its name, or the town', async () => {
    // 64070 (Lone Jack): Jackson (82%) → the sheriff, Johnson (18%) → Johnson County's sheriff.
    const byFips = await route({ zip: '64070', countyFips: '29101' }, { ask: true });
    expect(byFips).toMatchObject({ agencyId: ids.johnson, countyFips: '29101', routing: { rule: 'county', zip: '64070', countyChosenBy: 'tipster', zipCounties: ['29095', '29101'] } });
    for (const county of ['Johnson', 'Johnson County', 'johnson co.', 'condado de Johnson', 'Johnson County, MO', 'Johnson County, Missouri']) {
      expect(await route({ zip: '64070', county }, { ask: true }), county).toMatchObject({ agencyId: ids.johnson, countyFips: '29101', routing: { countyChosenBy: 'county_name' } });
    }
    // Kingsville is a Johnson County town: the city places the tip.
    expect(await route({ zip: '64070', city: 'Kingsville' }, { ask: true })).toMatchObject({ agencyId: ids.johnson, countyFips: '29101', routing: { countyChosenBy: 'city' } });
    expect(await route({ zip: '64070', address: '100 Main St, Kingsville, MO' }, { ask: true })).toMatchObject({ agencyId: ids.johnson, routing: { countyChosenBy: 'address' } });
    // A county name the ZIP contradicts is set aside; staff entry then takes the largest share, noted.
    expect(await route({ zip: '64070', county: 'Buchanan' })).toMatchObject({ agencyId: ids.jackson, countyFips: '29095', routing: { countyChosenBy: 'largest_share' } });
    expect(await route({ zip: '64070' })).toMatchObject({ agencyId: ids.jackson, countyFips: '29095', routing: { countyChosenBy: 'largest_share', zipCounties: ['29095', '29101'] } });
  });

  it('the public form asks which county, in the language of the tip', async () => {
    const en = await refusal({ zip: '64070' }, { ask: true });
    expect(en).toMatchObject({ status: 400, field: 'countyFips', message: 'countyFips: ZIP 64070 lies in Jackson and Johnson counties: choose the county' });
    const es = await refusal({ zip: '64070', city: 'Pueblo Desconocido' }, { ask: true, language: 'es' });
    // A town the gazetteer places in one of the ZIP's counties needs no question: Lone Jack is in Jackson County.
    expect(await route({ zip: '64070', city: 'Lone Jack' }, { ask: true })).toMatchObject({ agencyId: ids.jackson, routing: { countyChosenBy: 'city' } });
    expect(es).toMatchObject({ status: 400, field: 'countyFips', message: 'countyFips: el código postal 64070 está en los condados de Jackson y Johnson: elija el condado' });
  });

  it('without a ZIP: the county given or named, or the town, decides', async () => {
    expect(await route({ countyFips: '29095' })).toMatchObject({ agencyId: ids.jackson, countyFips: '29095', routing: { rule: 'county', countyChosenBy: 'tipster' } });
    expect(await route({ county: 'Jackson' })).toMatchObject({ agencyId: ids.jackson, routing: { countyChosenBy: 'county_name' } });
    expect(await route({ county: '29021' })).toMatchObject({ agencyId: ids.stjoseph, routing: { countyChosenBy: 'county_name' } });
    expect(await route({ city: 'Warrensburg' })).toMatchObject({ agencyId: ids.johnson, countyFips: '29101', routing: { countyChosenBy: 'city' } });
    // The county and the independent city of St. Louis are told apart; neither is served here.
    expect(await route({ county: 'St. Louis City' })).toMatchObject({ countyFips: '29510' });
    expect(await route({ county: 'St. Louis' })).toMatchObject({ countyFips: '29189' });
  });

  it('a county nobody serves, or no place at all, goes to the task force lead agency', async () => {
    // 65201 (Columbia: Boone and Callaway): only a victim-services coalition lists Boone, and it does not work tips.
    const lead = ids[DEMO_TASK_FORCE.leadKey];
    expect(await route({ zip: '65201' }, { ask: true })).toEqual({
      agencyId: lead,
      taskForceId,
      countyFips: '29019',
      routing: { rule: 'outside_served_counties', zip: '65201', countyFips: '29019', countyChosenBy: 'largest_share', zipCounties: ['29019', '29027'] },
    });
    expect(await route({})).toEqual({ agencyId: lead, taskForceId, countyFips: null, routing: { rule: 'no_county' } });
    expect(await route({ county: 'Narnia', city: 'Xqzzy' })).toMatchObject({ agencyId: lead, countyFips: null, routing: { rule: 'no_county' } });
    // A ZIP of another state: its county is recorded, nobody here serves it.
    expect(await route({ zip: '66061' })).toMatchObject({ agencyId: lead, countyFips: '20091', routing: { rule: 'outside_served_counties' } });
  });

  it('refuses a ZIP that does not exist and a county outside the state or the ZIP', async () => {
    for (const zip of ['00000', '99999']) {
      expect(await refusal({ zip })).toMatchObject({ status: 400, field: 'zip', message: `zip: ZIP code ${zip} does not exist` });
    }
    expect(await refusal({ zip: '00000' }, { language: 'es' })).toMatchObject({ field: 'zip', message: 'zip: el código postal 00000 no existe' });
    expect(await refusal({ countyFips: '20091' })).toMatchObject({ status: 400, field: 'countyFips', message: 'countyFips: is not a county of Missouri' });
    // Across the state line only as a county of the ZIP given: 65729 (Pontiac) reaches into Arkansas.
    expect(await route({ zip: '65729', countyFips: '05089' })).toMatchObject({ agencyId: ids[DEMO_TASK_FORCE.leadKey], countyFips: '05089', routing: { rule: 'outside_served_counties', countyChosenBy: 'tipster' } });
    expect(await refusal({ zip: '64075', countyFips: '05089' })).toMatchObject({ status: 400, field: 'countyFips', message: 'countyFips: is not a county of Missouri' });
    expect(await refusal({ zip: '64075', countyFips: '29101' })).toMatchObject({ status: 400, field: 'countyFips', message: 'countyFips: ZIP 64075 lies in Jackson and Lafayette counties, not Johnson' });
  });

  it('reads the ZIP table once: a ZIP and its counties by share', async () => {
    expect(await countiesOfZip('64061')).toEqual({
      zip: '64061',
      state: 'MO',
      counties: [
        { fips: '29101', name: 'Johnson', share: 84.04 },
        { fips: '29037', name: 'Cass', share: 15.34 },
        { fips: '29095', name: 'Jackson', share: 0.62 },
      ],
    });
    expect(await countiesOfZip('12')).toBeNull();
    // Fast enough for the intake path: a thousand routings of a one-county ZIP from the cached directory.
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await route({ zip: '64093' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
