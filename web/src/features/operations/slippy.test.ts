import { describe, expect, it } from 'vitest';
import { mercatorView, tilesOf, TILE } from './slippy.ts';

/** The tile holding a point, by the OpenStreetMap wiki's formula (an independent check). */
function osmTile(lng: number, lat: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

describe('the slippy map', () => {
  const oakGrove: [number, number] = [-94.14544, 38.99751];

  it('puts the center in the middle of the view and inverts what it projects', () => {
    const view = mercatorView(14, oakGrove, 640, 440);
    expect(view.project(...oakGrove)).toEqual([320, 220]);
    for (const [x, y] of [
      [0, 0],
      [320, 220],
      [639, 17],
    ] as const) {
      const [lng, lat] = view.invert(x, y)!;
      const [px, py] = view.project(lng, lat);
      expect(px).toBeCloseTo(x, 6);
      expect(py).toBeCloseTo(y, 6);
    }
    // North is up and east is right.
    expect(view.project(oakGrove[0], oakGrove[1] + 0.01)[1]).toBeLessThan(220);
    expect(view.project(oakGrove[0] + 0.01, oakGrove[1])[0]).toBeGreaterThan(320);
  });

  it('covers the view with the tiles the tile server names, the center in the right one', () => {
    const view = mercatorView(14, oakGrove, 640, 440);
    const tiles = tilesOf(view, 'https://tiles.example.gov/{z}/{x}/{y}.png', 640, 440);
    const { x, y } = osmTile(...oakGrove, 14);
    const middle = tiles.find((t) => t.x <= 320 && 320 < t.x + TILE && t.y <= 220 && 220 < t.y + TILE)!;
    expect(middle.href).toBe(`https://tiles.example.gov/14/${x}/${y}.png`);
    // Every pixel of the view is under a tile: 640 × 440 needs 3 or 4 columns and 2 or 3 rows.
    expect(tiles.length).toBeGreaterThanOrEqual(6);
    expect(Math.min(...tiles.map((t) => t.x))).toBeLessThanOrEqual(0);
    expect(Math.max(...tiles.map((t) => t.x + TILE))).toBeGreaterThanOrEqual(640);
    expect(Math.min(...tiles.map((t) => t.y))).toBeLessThanOrEqual(0);
    expect(Math.max(...tiles.map((t) => t.y + TILE))).toBeGreaterThanOrEqual(440);
  });

  it('wraps around the antimeridian and leaves out rows beyond the poles', () => {
    const tiles = tilesOf(mercatorView(1, [179.9, 80], 640, 440), 'https://{s}.t.example/{z}/{x}/{y}', 640, 440);
    expect(tiles.every((t) => /^https:\/\/a\.t\.example\/1\/[01]\/[01]$/.test(t.href))).toBe(true);
  });
});
