import { useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { geoCentroid, geoCircle, geoContains, geoMercator, geoPath } from 'd3-geo';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../components/Loading.tsx';
import { useCountyShapes, useMapSettings, type CountyCollection } from './geo.ts';
import { mercatorView, tilesOf, TILE, type View } from './slippy.ts';

const WIDTH = 640;
const HEIGHT = 440;
const METERS_PER_DEGREE_LAT = 111_320;
/** Around a point the county map shows about 33 km either way; a tile map starts at street level. */
const FOCUS_DEGREES = 0.3;
const POINT_ZOOM = 14;
const STATE_ZOOM = 7;

export interface PickerProps {
  /** "Location 1": names the map for screen readers. */
  name: string;
  lat: number | null;
  lng: number | null;
  radiusM: number;
  onPick: (lat: number, lng: number, countyFips: string | null) => void;
}

/**
 * A map to set a location's point: click (or tap) the map, or focus it and move the point with the arrow
 * keys (Shift for bigger steps; + and − zoom). The offline county map by default; the operator's raster
 * tiles when LANTERN_MAP_TILES names a tile server. The county is found from the county shapes. The
 * coordinates fields beside it stay the exact record, and the status line says where the point is.
 */
export default function LocationPicker({ name, lat, lng, radiusM, onPick }: PickerProps) {
  const { t } = useTranslation();
  const helpId = useId();
  const svgRef = useRef<SVGSVGElement>(null);
  const geo = useCountyShapes();
  const settings = useMapSettings();
  const [zoomedOut, setZoomedOut] = useState(false);
  const [tileZoom, setTileZoom] = useState<number | null>(null);
  const [said, setSaid] = useState('');
  const has = lat !== null && lng !== null;
  const fc = geo.data as CountyCollection | undefined;
  const tiles = settings.data?.tiles ?? null;

  const view = useMemo((): (View & { path?: ReturnType<typeof geoPath>; tiles?: ReturnType<typeof tilesOf> }) | null => {
    if (!fc) return null;
    if (tiles) {
      const center: [number, number] = has ? [lng, lat] : (geoCentroid(fc as never) as [number, number]);
      const v = mercatorView(tileZoom ?? (has ? POINT_ZOOM : STATE_ZOOM), center, WIDTH, HEIGHT);
      return { ...v, tiles: tilesOf(v, tiles.url, WIDTH, HEIGHT) };
    }
    const around = has && !zoomedOut ? geoCircle().center([lng, lat]).radius(FOCUS_DEGREES)() : null;
    const projection = geoMercator()
      .rotate([-geoCentroid(fc as never)[0], 0])
      .fitExtent(
        [
          [12, 12],
          [WIDTH - 12, HEIGHT - 12],
        ],
        (around ?? fc) as never,
      );
    const left = projection.invert!([0, HEIGHT / 2]);
    const right = projection.invert!([WIDTH, HEIGHT / 2]);
    return {
      project: (x, y) => projection([x, y]) ?? [Number.NaN, Number.NaN],
      invert: (x, y) => projection.invert!([x, y]),
      span: left && right ? Math.abs(right[0] - left[0]) : 1,
      path: geoPath(projection),
    };
  }, [fc, tiles, has, lat, lng, zoomedOut, tileZoom]);

  if (geo.isPending || settings.isPending) return <Loading label={t('planForm.map.loading')} />;
  if (!fc || !view) return null;

  const countyAt = (x: number, y: number) => fc.features.find((f) => geoContains(f as never, [x, y]))?.id ?? null;
  const pick = (x: number, y: number) => {
    const la = Math.max(-85, Math.min(85, y));
    const ln = ((((x + 180) % 360) + 360) % 360) - 180;
    const fips = countyAt(ln, la);
    const county = fips ? fc.features.find((f) => f.id === fips)?.properties.name : null;
    onPick(la, ln, fips);
    setSaid(t('planForm.map.placed', { lat: la.toFixed(5), lng: ln.toFixed(5), context: county ? 'county' : undefined, county }));
  };

  const click = (e: MouseEvent<SVGSVGElement>) => {
    const svg = svgRef.current;
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const at = view.invert(p.x, p.y);
    if (at) pick(at[0], at[1]);
  };

  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = (view.span / 40) * (e.shiftKey ? 5 : 1);
    const moves: Record<string, [number, number]> = { ArrowUp: [0, step], ArrowDown: [0, -step], ArrowLeft: [-step, 0], ArrowRight: [step, 0] };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      const from = has ? [lng, lat] : view.invert(WIDTH / 2, HEIGHT / 2);
      if (from) pick(from[0]! + move[0], from[1]! + move[1]);
    } else if (e.key === '+' || e.key === '=' || e.key === '-' || e.key === '_') {
      e.preventDefault();
      zoom(e.key === '+' || e.key === '=' ? 1 : -1);
    }
  };

  const currentTileZoom = tileZoom ?? (has ? POINT_ZOOM : STATE_ZOOM);
  const zoom = (by: 1 | -1) => {
    if (tiles) setTileZoom(Math.max(3, Math.min(18, currentTileZoom + by)));
    else setZoomedOut(by < 0);
  };

  const at = has ? view.project(lng, lat) : null;
  const edge = has ? view.project(lng, lat + radiusM / METERS_PER_DEGREE_LAT) : null;
  const r = at && edge ? Math.max(4, Math.abs(at[1] - edge[1])) : 0;
  const canZoomIn = tiles ? currentTileZoom < 18 : has && zoomedOut;
  const canZoomOut = tiles ? currentTileZoom > 3 : has && !zoomedOut;

  return (
    <figure className="lantern-map lantern-picker">
      <p id={helpId} className="usa-hint">
        {t('planForm.map.help')}
      </p>
      <div className="lantern-picker__frame" role="application" tabIndex={0} aria-label={t('planForm.map.label', { name })} aria-describedby={helpId} onKeyDown={key}>
        <svg ref={svgRef} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="lantern-map__svg lantern-picker__svg" overflow="hidden" aria-hidden="true" onClick={click} data-testid="location-picker-map">
          {view.tiles ? (
            <g>
              {view.tiles.map((tile) => (
                <image key={tile.key} href={tile.href} x={tile.x} y={tile.y} width={TILE} height={TILE} />
              ))}
            </g>
          ) : (
            <g>
              {fc.features.map((f) => (
                <path key={f.id} d={view.path!(f as never) ?? undefined} className="lantern-map__county" />
              ))}
              {/* County names only when zoomed in: across the whole state they would overlap. */}
              {(has && !zoomedOut ? fc.features : []).map((f) => {
                const [x, y] = view.path!.centroid(f as never);
                return Number.isFinite(x) && x > 40 && x < WIDTH - 40 && y > 20 && y < HEIGHT - 20 ? (
                  <text key={`${f.id}-name`} x={x} y={y} textAnchor="middle" className="lantern-map__county-name">
                    {f.properties.name}
                  </text>
                ) : null;
              })}
            </g>
          )}
          {at ? (
            <g data-testid="location-picker-point">
              <circle cx={at[0]} cy={at[1]} r={r} className="lantern-map__radius" />
              <circle cx={at[0]} cy={at[1]} r={4} className="lantern-map__point" />
            </g>
          ) : null}
        </svg>
      </div>
      <div className="lantern-picker__controls">
        <button type="button" className="usa-button usa-button--outline usa-button--small" disabled={!canZoomIn} onClick={() => zoom(1)}>
          {t('planForm.map.zoomIn')}
        </button>
        <button type="button" className="usa-button usa-button--outline usa-button--small" disabled={!canZoomOut} onClick={() => zoom(-1)}>
          {t('planForm.map.zoomOut')}
        </button>
      </div>
      <p className="usa-hint" role="status">
        {said}
      </p>
      {tiles?.attribution ? <figcaption className="lantern-muted">{tiles.attribution}</figcaption> : null}
    </figure>
  );
}
