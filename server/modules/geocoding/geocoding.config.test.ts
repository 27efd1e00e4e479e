import { describe, expect, it } from 'vitest';
import { CENSUS_GEOCODER_URL, ConfigError, loadConfig } from '../../config.ts';

describe('geocoder and map tile settings', () => {
  it('defaults to the offline gazetteer and the county map', () => {
    expect(loadConfig({})).toMatchObject({ geocoder: { provider: 'offline', url: CENSUS_GEOCODER_URL, timeoutMs: 2500 }, mapTiles: null });
  });

  it('reads the Census geocoder and a tile server', () => {
    const c = loadConfig({ LANTERN_GEOCODER: 'census', LANTERN_GEOCODER_TIMEOUT_MS: '1500', LANTERN_MAP_TILES: 'https://tiles.example.gov/{z}/{x}/{y}.png', LANTERN_MAP_TILES_ATTRIBUTION: '© OSM' });
    expect(c).toMatchObject({ geocoder: { provider: 'census', timeoutMs: 1500 }, mapTiles: { url: 'https://tiles.example.gov/{z}/{x}/{y}.png', attribution: '© OSM' } });
  });

  it('names each bad value', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) return e.problems;
      }
      return [];
    };
    expect(problems({ LANTERN_GEOCODER: 'google' })).toEqual(['LANTERN_GEOCODER="google": must be offline or census']);
    expect(problems({ LANTERN_MAP_TILES: 'https://tiles.example.gov/tile.png' })[0]).toMatch(/^LANTERN_MAP_TILES=.*must contain \{z\}, \{x\} and \{y\}/);
    expect(problems({ LANTERN_MAP_TILES: 'ftp://x/{z}/{x}/{y}' })[0]).toMatch(/^LANTERN_MAP_TILES=.*must be an http\(s\) URL template/);
    expect(problems({ LANTERN_GEOCODER_TIMEOUT_MS: '5' })[0]).toMatch(/^LANTERN_GEOCODER_TIMEOUT_MS="5": must be at least 100 ms/);
  });
});
