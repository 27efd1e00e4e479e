/**
 * A small slippy map: Web Mercator as raster tile servers cut it (256-pixel {z}/{x}/{y} tiles), for the
 * plan form's map when the operator names a tile server (LANTERN_MAP_TILES). Pure: tested without a DOM.
 */

export const TILE = 256;

/** A map view: lon/lat to view pixels and back. */
export interface View {
  project(lng: number, lat: number): [number, number];
  invert(x: number, y: number): [number, number] | null;
  /** Degrees of longitude across the view: the arrow keys move the point by a fortieth of it. */
  span: number;
}

/** Web Mercator at zoom `z`, as slippy-map tile servers cut it, centered on a point of the view. */
export function mercatorView(z: number, center: [number, number], width: number, height: number): View & { origin: [number, number]; z: number } {
  const size = TILE * 2 ** z;
  const world = (lng: number, lat: number): [number, number] => {
    const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
    return [((lng + 180) / 360) * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
  };
  const c = world(center[0], center[1]);
  const origin: [number, number] = [c[0] - width / 2, c[1] - height / 2];
  return {
    z,
    origin,
    project: (lng, lat) => {
      const p = world(lng, lat);
      return [p[0] - origin[0], p[1] - origin[1]];
    },
    invert: (x, y) => {
      const wx = x + origin[0];
      const wy = y + origin[1];
      const lng = (wx / size) * 360 - 180;
      const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * wy) / size))) * 180) / Math.PI;
      return [lng, lat];
    },
    span: (width / size) * 360,
  };
}

/** The tiles covering the view, with their URLs from the operator's template. */
export function tilesOf(view: ReturnType<typeof mercatorView>, template: string, width: number, height: number) {
  const n = 2 ** view.z;
  const out: { key: string; href: string; x: number; y: number }[] = [];
  for (let tx = Math.floor(view.origin[0] / TILE); tx <= Math.floor((view.origin[0] + width) / TILE); tx++) {
    for (let ty = Math.floor(view.origin[1] / TILE); ty <= Math.floor((view.origin[1] + height) / TILE); ty++) {
      if (ty < 0 || ty >= n) continue;
      const wrapped = ((tx % n) + n) % n;
      const href = template.replace('{z}', String(view.z)).replace('{x}', String(wrapped)).replace('{y}', String(ty)).replace('{s}', 'a');
      out.push({ key: `${view.z}/${tx}/${ty}`, href, x: tx * TILE - view.origin[0], y: ty * TILE - view.origin[1] });
    }
  }
  return out;
}

