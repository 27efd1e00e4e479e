import { useEffect, useId, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { GeocodeCandidate } from '../../../../common/schemas/geocoding.ts';
import { ApiError } from '../../api/client.ts';
import { geocoding } from '../../api/endpoints.ts';

/**
 * Finds an address, an intersection, a place or a ZIP code with the server's geocoder and lists what it
 * found; choosing one fills the location's coordinates and county. A search field with its own button
 * (Enter searches rather than saving the plan) and a list of buttons: usable by keyboard and announced
 * by screen readers through the status line.
 */
export function LocationSearch({ id, onPick }: { id: string; onPick: (candidate: GeocodeCandidate) => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [short, setShort] = useState(false);
  const statusId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const search = useMutation({ mutationFn: (q: string) => geocoding.search(q) });
  // New results take the focus to the first of them: Enter, then Enter again, chooses the best match.
  useEffect(() => {
    if (search.data?.candidates.length) listRef.current?.querySelector('button')?.focus();
  }, [search.data]);

  const run = () => {
    setPicked(null);
    setShort(query.trim().length < 2);
    if (query.trim().length < 2) return;
    search.mutate(query.trim());
  };
  const results = search.data?.candidates ?? [];
  const where = (c: GeocodeCandidate) =>
    [c.county ? t('planForm.search.county', { county: c.county }) : null, t(`planForm.search.precision.${c.precision}`)].filter(Boolean).join(' · ');

  let status = '';
  if (short) status = t('planForm.search.tooShort');
  else if (search.isPending) status = t('planForm.search.searching');
  else if (search.isError) status = search.error instanceof ApiError ? search.error.message : t('planForm.search.failed');
  else if (picked) status = t('planForm.search.picked', { label: picked });
  else if (search.data) status = results.length ? t('planForm.search.found', { count: results.length }) : t('planForm.search.none');

  return (
    <div className="usa-form-group lantern-location-search">
      <label className="usa-label" htmlFor={id}>
        {t('planForm.search.label')}
      </label>
      <span className="usa-hint" id={`${id}-hint`}>
        {t('planForm.search.hint')}
      </span>
      <div className="lantern-location-search__row">
        <input
          id={id}
          className="usa-input"
          type="search"
          autoComplete="off"
          maxLength={200}
          aria-describedby={`${id}-hint ${statusId}`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              run();
            }
          }}
        />
        <button type="button" className="usa-button usa-button--outline lantern-location-search__button" onClick={run} disabled={search.isPending}>
          {t('planForm.search.button')}
        </button>
      </div>
      <p id={statusId} className="usa-hint lantern-location-search__status" role="status">
        {status}
        {search.data?.fellBack && !short ? ` ${t('planForm.search.fellBack')}` : ''}
      </p>
      {results.length > 0 && !picked && !short ? (
        <ul ref={listRef} className="usa-list usa-list--unstyled lantern-location-search__results" aria-label={t('planForm.search.results')}>
          {results.map((c, i) => (
            <li key={`${c.label}-${i}`}>
              <button
                type="button"
                className="usa-button usa-button--unstyled lantern-location-search__result"
                onClick={() => {
                  setPicked(c.label);
                  onPick(c);
                }}
              >
                <span className="lantern-location-search__label">{c.label}</span>
                <span className="lantern-location-search__where">{where(c)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
