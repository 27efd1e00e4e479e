import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { kindLabel } from '../tips/labels.tsx';
import { identifierSearchQuery, searchKeys, type IdentifierSearchResult } from './api.ts';
import { checkSearchValue } from './value.ts';

/** The record a result opens: a tip, an operation, a business, or what was shared under a release. */
function ResultLink({ r }: { r: IdentifierSearchResult }) {
  switch (r.recordType) {
    case 'tip':
      return (
        <Link to="/tip-queue/$tipId" params={{ tipId: r.recordId }} className="usa-link">
          {r.label}
        </Link>
      );
    case 'operation':
      return (
        <Link to="/operations/$operationId" params={{ operationId: r.recordId }} className="usa-link">
          {r.label}
        </Link>
      );
    case 'business':
      return (
        <Link to="/businesses/$businessId" params={{ businessId: r.recordId }} className="usa-link">
          {r.label}
        </Link>
      );
    case 'release':
      return (
        <Link to="/releases/$releaseId" params={{ releaseId: r.recordId }} className="usa-link">
          {r.label}
        </Link>
      );
  }
}

function Results({ results, focus }: { results: IdentifierSearchResult[]; focus: boolean }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // After a search, keyboard and screen-reader users land on the answer, then tab into its links.
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  if (results.length === 0) {
    return (
      <div className="lantern-empty">
        <h2 id="search-results" ref={heading} tabIndex={-1}>
          {t('search.emptyHeading')}
        </h2>
        <p>{t('search.empty')}</p>
      </div>
    );
  }
  return (
    <section className="lantern-section" aria-labelledby="search-results">
      <h2 id="search-results" ref={heading} tabIndex={-1}>
        {t('search.resultsHeading', { count: results.length })}
      </h2>
      <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-labelledby="search-caption">
        <table className="usa-table usa-table--borderless">
          <caption id="search-caption" className="usa-sr-only">
            {t('search.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('search.record')}</th>
              <th scope="col">{t('search.recordType')}</th>
              <th scope="col">{t('search.matchedAs')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={`${r.recordType}-${r.recordId}`}>
                <th scope="row">
                  <ResultLink r={r} />
                </th>
                <td>{t(`search.types.${r.recordType}`)}</td>
                <td>{r.kinds.map((k) => kindLabel(t, k)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * `/search`: a phone, email, plate, handle or address typed by staff, and every record they may see that
 * shares it (GET /api/identifiers/search). The value is kept in memory, never in the address bar: the
 * audit log holds only a count, and the browser's history should not hold the value either.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [searched, setSearched] = useState(() => queryClient.getQueryData<string>(searchKeys.last) ?? '');
  const [draft, setDraft] = useState(searched);
  const [localError, setLocalError] = useState<string | undefined>();
  /** Searches made on this visit: each answer is drawn afresh and takes focus (not the one shown on coming back). */
  const [round, setRound] = useState(0);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const results = useQuery({ ...identifierSearchQuery(searched), enabled: searched !== '' });
  const label = t('search.label');
  const server = results.isError ? splitServerError(results.error, { value: label }) : { fields: {}, form: undefined };
  const error = localError ?? server.fields.value;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkSearchValue(draft);
    if (problem) {
      setLocalError(t(`search.errors.${problem}`));
      focusFirstError();
      return;
    }
    setLocalError(undefined);
    const value = draft.trim();
    queryClient.setQueryData(searchKeys.last, value);
    setRound((n) => n + 1);
    if (value === searched) void results.refetch();
    else setSearched(value);
  };

  useEffect(() => {
    if (server.fields.value) focusFirstError();
  }, [server.fields.value, focusFirstError]);

  return (
    <>
      <PageTitle title={t('search.title')} lead={t('search.lead')} />
      <form ref={ref} role="search" aria-label={t('search.formLabel')} className="usa-form usa-form--large" noValidate onSubmit={submit}>
        <TextField
          name="value"
          label={label}
          hint={t('search.hint')}
          error={error}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            if (localError) setLocalError(undefined);
          }}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="usa-button">
          {t('search.submit')}
        </button>
      </form>
      {searched === '' ? null : results.isPending ? (
        <Loading label={t('search.loading')} />
      ) : results.isError ? (
        server.form ? <LoadError error={server.form} /> : null
      ) : (
        <Results key={round} results={results.data.results} focus={round > 0} />
      )}
    </>
  );
}
