import { useId } from 'react';
import { geoCentroid, geoMercator, geoPath } from 'd3-geo';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../components/Loading.tsx';
import { useCountyShapes, type CountyCollection } from '../operations/geo.ts';
import { CAMPAIGN_MAP_CLASSES, campaignMapClass } from './campaign.ts';

const WIDTH = 640;
const HEIGHT = 560;

/**
 * The state's counties (the jurisdiction's offline shapes, drawn with d3-geo like the tip and operation
 * maps), each filled by its class of businesses: all of them or only the closed ones. Loaded in its own
 * chunk. The county table beside it says the same in words, so the picture carries only a title.
 */
export default function CampaignCountyMap({ counts, measure, state }: { counts: ReadonlyMap<string, number>; measure: 'total' | 'closed'; state: string }) {
  const { t } = useTranslation();
  const titleId = useId();
  const geo = useCountyShapes();
  if (geo.isPending) return <Loading label={t('campaign.map.loading')} />;
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
    <figure className="lantern-map lantern-campaign-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="lantern-map__svg" focusable="false">
        <title id={titleId}>{t(measure === 'closed' ? 'campaign.map.titleClosed' : 'campaign.map.titleTotal', { state })}</title>
        <g>
          {fc.features.map((f) => {
            const n = counts.get(String(f.id)) ?? 0;
            return (
              <path key={String(f.id)} d={path(f as never) ?? undefined} data-fips={String(f.id)} data-count={n} className={`lantern-tip-map__county lantern-tip-fill--${campaignMapClass(n)}`}>
                <title>{`${f.properties.name}: ${n}`}</title>
              </path>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <p className="margin-bottom-0 text-bold">{t(measure === 'closed' ? 'campaign.map.legendClosed' : 'campaign.map.legendTotal')}</p>
        <ul className="lantern-tip-legend">
          {CAMPAIGN_MAP_CLASSES.map((c) => (
            <li key={c.key}>
              <svg className="lantern-tip-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <rect width="16" height="16" className={`lantern-tip-fill--${c.key}`} stroke="#71767a" strokeWidth="1" />
              </svg>
              {c.from === 0 ? t('campaign.map.none') : c.to === null ? t('campaign.map.rangeOpen', { from: c.from }) : c.from === c.to ? String(c.from) : t('campaign.map.range', { from: c.from, to: c.to })}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
