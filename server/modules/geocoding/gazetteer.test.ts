import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { censusProvider } from './census.ts';
import { gazetteerProvider, searchGazetteer } from './gazetteer.ts';
import { geocodeWith } from './geocoding.service.ts';

const search = (q: string) => searchGazetteer(q, { limit: 8, preferState: 'MO' });

describe('the offline gazetteer', () => {
  it('finds a ZIP code centroid with its county', async () => {
    const [first] = await search('64070');
    expect(first).toMatchObject({ label: '64070 (Lone Jack, MO)', county: 'Jackson', countyFips: '29095', state: 'MO', precision: 'zip', source: 'gazetteer' });
    expect(first!.lat).toBeCloseTo(38.89, 1);
    expect(first!.lon).toBeCloseTo(-94.15, 1);
  }, 30_000);

  it('finds a town by name and state: "Oak Grove, MO"', async () => {
    const found = await search('Oak Grove, MO');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ label: 'Oak Grove, MO', county: 'Jackson', countyFips: '29095', precision: 'place' });
    expect(found[0]!.lat).toBeCloseTo(39.0, 1);
    expect(found[0]!.lon).toBeCloseTo(-94.14, 1);
    // Without a comma, and spelled in full.
    expect((await search('oak grove missouri'))[0]?.label).toBe('Oak Grove, MO');
    expect((await search('Oak Grove MO'))[0]?.label).toBe('Oak Grove, MO');
  });

  it('reads words that name Object.prototype members as words', async () => {
    expect(await search('constructor')).toEqual([]);
    expect(await search('__proto__ toString')).toEqual([]);
  });

  it('puts the task force\'s state first when the query names none', async () => {
    const found = await search('Oak Grove');
    expect(found.length).toBeGreaterThan(1);
    expect(found[0]!.label).toBe('Oak Grove, MO');
    expect(found.slice(1).every((c) => c.state !== 'MO')).toBe(true);
    expect((await searchGazetteer('Oak Grove', { limit: 8, preferState: 'KY' }))[0]!.state).toBe('KY');
  });

  it('falls back to the town for an intersection or street address it cannot place', async () => {
    const [corner] = await search('SE Broadway St & S Main St, Oak Grove, MO');
    expect(corner).toMatchObject({ label: 'Oak Grove, MO', precision: 'place', countyFips: '29095' });
    // A street address with its ZIP code: the ZIP centroid first, then the town it names.
    const address = await search('1200 S Broadway St, Oak Grove, MO 64075');
    expect(address.map((c) => c.precision)).toEqual(['zip']);
    expect(address[0]!.label).toBe('64075 (Oak Grove, MO)');
  });

  it('spells out abbreviations in place names and finds counties', async () => {
    expect((await search('St. Louis, MO'))[0]).toMatchObject({ state: 'MO', precision: 'place' });
    expect((await search('Jackson County, MO'))[0]).toMatchObject({ label: 'Jackson County, MO', countyFips: '29095', precision: 'county' });
  });

  it('gives no candidate for junk', async () => {
    expect(await search('xqjv blorf 00000')).toEqual([]);
    expect(await search('!!!')).toEqual([]);
    expect(await search('99999')).toEqual([]);
  });
});

/** A stand-in for geocoding.geo.census.gov on loopback: the test chooses its answer. */
describe('the Census provider', () => {
  let server: http.Server;
  let base: string;
  let answer: (url: URL, res: http.ServerResponse) => void = () => {};
  const seen: URL[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      seen.push(url);
      answer(url, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/geocoder/locations/onelineaddress?benchmark=Public_AR_Current&format=json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const json = (res: http.ServerResponse, body: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const match = {
    matchedAddress: '1200 S BROADWAY ST, OAK GROVE, MO, 64075',
    coordinates: { x: -94.1295, y: 38.9968 },
    addressComponents: { zip: '64075', state: 'MO', city: 'OAK GROVE' },
  };

  it('sends the address with the configured benchmark and reads the matches, with the county from the ZIP code', async () => {
    answer = (_url, res) => json(res, { result: { input: {}, addressMatches: [match] } });
    const found = await censusProvider({ url: base, timeoutMs: 5000 }).search('1200 S Broadway St, Oak Grove, MO', { limit: 8 });
    const asked = seen.at(-1)!;
    expect(asked.pathname).toBe('/geocoder/locations/onelineaddress');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ benchmark: 'Public_AR_Current', format: 'json', address: '1200 S Broadway St, Oak Grove, MO' });
    expect(found).toEqual([
      { label: '1200 S BROADWAY ST, OAK GROVE, MO, 64075', lat: 38.9968, lon: -94.1295, county: 'Jackson', countyFips: '29095', state: 'MO', precision: 'address', source: 'census' },
    ]);
  });

  it('skips malformed matches', async () => {
    answer = (_url, res) => json(res, { result: { addressMatches: [{ matchedAddress: 'X', coordinates: { x: 'a', y: 1 } }, { coordinates: { x: 1, y: 1 } }, match] } });
    expect((await censusProvider({ url: base, timeoutMs: 5000 }).search('x', { limit: 8 })).map((c) => c.label)).toEqual([match.matchedAddress]);
  });

  const fallbackFor = async (provider: ReturnType<typeof censusProvider>, query: string) => {
    const failures: string[] = [];
    const res = await geocodeWith(provider, gazetteerProvider('MO'), query, (r) => failures.push(r));
    return { ...res, failures };
  };

  it('falls back to the gazetteer when the geocoder errs, answers garbage or is unreachable', async () => {
    answer = (_url, res) => json(res, { errors: ['boom'] }, 500);
    let r = await fallbackFor(censusProvider({ url: base, timeoutMs: 5000 }), 'Oak Grove, MO');
    expect(r).toMatchObject({ fellBack: true, failures: ['the geocoder answered 500'] });
    expect(r.candidates[0]).toMatchObject({ label: 'Oak Grove, MO', source: 'gazetteer' });

    answer = (_url, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    r = await fallbackFor(censusProvider({ url: base, timeoutMs: 5000 }), '64070');
    expect(r).toMatchObject({ fellBack: true, failures: ['the geocoder could not be reached'] });
    expect(r.candidates[0]!.label).toBe('64070 (Lone Jack, MO)');

    // Nothing listens on this port (the server was bound and closed): connection refused.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    r = await fallbackFor(censusProvider({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 5000 }), 'Oak Grove, MO');
    expect(r).toMatchObject({ fellBack: true, failures: ['the geocoder could not be reached'] });
    expect(r.candidates[0]!.label).toBe('Oak Grove, MO');
  });

  it('gives up after its timeout', async () => {
    answer = () => {}; // never answers
    const r = await fallbackFor(censusProvider({ url: base, timeoutMs: 150 }), 'Oak Grove, MO');
    expect(r).toMatchObject({ fellBack: true, failures: ['the geocoder did not answer in time'] });
    expect(r.candidates[0]!.label).toBe('Oak Grove, MO');
  });

  it('asks the gazetteer when the geocoder finds nothing (a place name, not an address)', async () => {
    answer = (_url, res) => json(res, { result: { addressMatches: [] } });
    const r = await fallbackFor(censusProvider({ url: base, timeoutMs: 5000 }), 'Oak Grove, MO');
    expect(r).toMatchObject({ fellBack: false, failures: [] });
    expect(r.candidates[0]).toMatchObject({ label: 'Oak Grove, MO', source: 'gazetteer' });
  });
});
