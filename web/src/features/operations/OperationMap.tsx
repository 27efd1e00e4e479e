import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { geoCentroid, geoCircle, geoMercator, geoPath } from 'd3-geo';
import { useTranslation } from 'react-i18next';
import type { OperationDto } from '../../api/types.ts';
import { Loading } from '../../components/Loading.tsx';
import { jurisdictionQuery } from '../../api/queries.ts';
import { useCountyShapes, type CountyCollection } from './geo.ts';

const WIDTH = 640;
const HEIGHT = 560;
const METRES_PER_DEGREE_LAT = 111_320;
/** How much country to show around each location, in degrees of arc (about 33 km). */
const FOCUS_DEGREES = 0.3;

type Location = OperationDto['locations'][number];

/**
 * A small offline map: the state's counties (GeoJSON from the server, projected with d3-geo) with each
 * location as a numbered point and its deconfliction radius. Loaded on its own, only on pages that
 * show it. The list of locations beside it says the same in words, so the picture is decorative for
 * screen readers apart from its title.
 */
export default function OperationMap({ locations }: { locations: Location[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  const geo = useCountyShapes();
  const state = useQuery(jurisdictionQuery).data?.state.name.en ?? '';
  if (geo.isPending) return <Loading label={t('operation.mapLoading')} />;
  if (geo.isError) return null;
  const fc = geo.data as CountyCollection;
  const used = new Set(locations.map((l) => l.countyFips));
  // Zoom to the neighbourhood of the locations (about 33 km around each: a radius of a few hundred
  // metres is invisible at the scale of the state), with the surrounding counties for context.
  const around = locations.map((l) => ({ type: 'Feature', properties: {}, geometry: geoCircle().center([l.lng, l.lat]).radius(FOCUS_DEGREES)() }));
  // Centred on the state's meridian, so a state across the 180th (Alaska) stays whole.
  const projection = geoMercator().rotate([-geoCentroid(fc as never)[0], 0]).fitExtent(
    [
      [16, 16],
      [WIDTH - 16, HEIGHT - 16],
    ],
    { type: 'FeatureCollection', features: around.length ? around : fc.features } as never,
  );
  const path = geoPath(projection);
  const names = fc.features.flatMap((f) => {
    const [x, y] = path.centroid(f as never);
    return Number.isFinite(x) && x > 40 && x < WIDTH - 40 && y > 20 && y < HEIGHT - 20 ? [{ id: String(f.id), name: f.properties.name, x, y }] : [];
  });
  const points = locations.flatMap((l, i) => {
    const at = projection([l.lng, l.lat]);
    const edge = projection([l.lng, l.lat + l.radiusM / METRES_PER_DEGREE_LAT]);
    if (!at || !edge) return [];
    return [{ n: i + 1, x: at[0], y: at[1], r: Math.max(5, Math.abs(at[1] - edge[1])), id: l.id }];
  });

  return (
    <figure className="lantern-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="lantern-map__svg" overflow="hidden">
        <title id={titleId}>{t('operation.mapTitle', { count: locations.length, state })}</title>
        <g>
          {fc.features.map((f) => (
            <path key={String(f.id)} d={path(f as never) ?? undefined} className={used.has(String(f.id)) ? 'lantern-map__county is-used' : 'lantern-map__county'} />
          ))}
        </g>
        <g>
          {names.map((n) => (
            <text key={n.id} x={n.x} y={n.y} textAnchor="middle" className="lantern-map__county-name">
              {n.name}
            </text>
          ))}
        </g>
        <g>
          {points.map((p) => (
            <g key={p.id}>
              <circle cx={p.x} cy={p.y} r={p.r} className="lantern-map__radius" />
              <circle cx={p.x} cy={p.y} r={3} className="lantern-map__point" />
              <text x={p.x + p.r + 3} y={p.y + 5} className="lantern-map__label">
                {p.n}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption className="lantern-muted">{t('operation.mapCaption')}</figcaption>
    </figure>
  );
}
