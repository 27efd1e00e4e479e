import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { geoCentroid, geoMercator, geoPath } from 'd3-geo';
import { useTranslation } from 'react-i18next';
import { jurisdictionQuery } from '../../api/queries.ts';
import { Loading } from '../../components/Loading.tsx';
import { useCountyShapes, type CountyCollection } from '../operations/geo.ts';
import { TIP_MAP_CLASSES, tipMapClass } from './map-classes.ts';

const WIDTH = 640;
const HEIGHT = 560;

/**
 * The state's counties (the same offline GeoJSON and d3-geo projection as the operation map), each
 * filled by its class of tip count. Loaded in its own chunk, only by the queue. The table beside it
 * (TipCountyTable) says the same in words, so the picture carries a title and nothing a reader needs.
 */
export default function TipCountyMap({ counts }: { counts: ReadonlyMap<string, number> }) {
  const { t } = useTranslation();
  const titleId = useId();
  const geo = useCountyShapes();
  const state = useQuery(jurisdictionQuery).data?.state.name.en ?? '';
  if (geo.isPending) return <Loading label={t('tips.map.loading')} />;
  if (geo.isError) return null;
  const fc = geo.data as CountyCollection;
  const projection = geoMercator().rotate([-geoCentroid(fc as never)[0], 0]).fitExtent(
    [
      [4, 4],
      [WIDTH - 4, HEIGHT - 4],
    ],
    fc as never,
  );
  const path = geoPath(projection);

  return (
    <figure className="lantern-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="lantern-map__svg" focusable="false">
        <title id={titleId}>{t('tips.map.title', { state })}</title>
        <g>
          {fc.features.map((f) => {
            const n = counts.get(String(f.id)) ?? 0;
            return (
              <path key={String(f.id)} d={path(f as never) ?? undefined} data-fips={String(f.id)} className={`lantern-tip-map__county lantern-tip-fill--${tipMapClass(n)}`}>
                <title>{`${f.properties.name}: ${n}`}</title>
              </path>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <p className="margin-bottom-0 text-bold">{t('tips.map.legend')}</p>
        <ul className="lantern-tip-legend">
          {TIP_MAP_CLASSES.map((c) => (
            <li key={c.key}>
              <svg className="lantern-tip-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <rect width="16" height="16" className={`lantern-tip-fill--${c.key}`} stroke="#71767a" strokeWidth="1" />
              </svg>
              {c.from === 0 ? t('tips.map.none') : c.to === null ? t('tips.map.rangeOpen', { from: c.from }) : c.from === c.to ? String(c.from) : t('tips.map.range', { from: c.from, to: c.to })}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
