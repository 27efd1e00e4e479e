import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { pressReleases } from '../../api/endpoints.ts';
import { keys, operationQuery, pressReleasesQuery } from '../../api/queries.ts';
import { BackLink } from '../../components/BackLink.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { splitServerError } from '../../components/forms.ts';
import { setFlash } from '../../components/flash.ts';
import { OperationHeader } from '../operations/OperationNav.tsx';
import { hasOutcomeToRelease, writesReleasesFor } from './access.ts';
import { HoldNotice } from './labels.tsx';
import { ReleaseTable, useDraftDetails } from './PressReleasesPage.tsx';

const route = getRouteApi('/app/operations/$operationId/press-releases');

/** The dateline's city, up to the schema's limit (`draftPressReleaseInput`). */
const CITY_MAX = 80;

/** An operation's press releases, and "Draft a press release" from its outcome (issue #4, item 1). */
export function OperationPressReleasesPage() {
  const { t } = useTranslation();
  const { operationId } = route.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const op = useQuery(operationQuery(operationId));
  const writes = op.data ? writesReleasesFor(op.data) : false;
  const list = useQuery({ ...pressReleasesQuery({ operationId }), enabled: writes });
  const details = useDraftDetails(list.data?.pressReleases);
  const [city, setCity] = useState('');

  const draft = useMutation({
    mutationFn: () => pressReleases.draft(operationId, city.trim() || undefined),
    onSuccess: (dto) => {
      queryClient.setQueryData(keys.pressRelease(dto.id), dto);
      void queryClient.invalidateQueries({ queryKey: keys.pressReleaseLists });
      setFlash(t('operationPressReleases.drafted'));
      void navigate({ to: '/press-releases/$releaseId', params: { releaseId: dto.id } });
    },
  });

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('operationPressReleases.title')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }

  const o = op.data;
  const placed = splitServerError(draft.error, { datelineCity: t('operationPressReleases.city') });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    draft.mutate();
  };

  return (
    <>
      <OperationHeader op={o} current="pressReleases" title={t('operationPressReleases.title')} />
      <HoldNotice hold={o.investigationHold} />
      {!writes ? (
        <p>{t('operationPressReleases.notYours')}</p>
      ) : (
        <>
          <section className="lantern-section lantern-section--first" aria-labelledby="op-release-draft">
            <h2 id="op-release-draft">{t('operationPressReleases.newHeading')}</h2>
            {hasOutcomeToRelease(o) ? (
              <form className="usa-form lantern-form-wide" noValidate onSubmit={submit}>
                <p>{t('operationPressReleases.draftLead')}</p>
                {placed.form ? <ErrorAlert error={placed.form} /> : null}
                <TextField
                  id="release-dateline-city"
                  label={t('operationPressReleases.city')}
                  hint={t('operationPressReleases.cityHint')}
                  optional
                  maxLength={CITY_MAX}
                  value={city}
                  onChange={(e) => setCity(e.target.value)}
                  error={placed.fields.datelineCity}
                />
                <FormActions pending={draft.isPending} submitLabel={t('operationPressReleases.draft')} pendingLabel={t('operationPressReleases.drafting')} />
              </form>
            ) : (
              <p>{t('operationPressReleases.notYet')}</p>
            )}
          </section>
          <section className="lantern-section" aria-labelledby="op-release-list">
            <h2 id="op-release-list">{t('operationPressReleases.listHeading')}</h2>
            {list.isPending ? (
              <Loading />
            ) : list.isError ? (
              <LoadError error={list.error} />
            ) : list.data.pressReleases.length === 0 ? (
              <p>{t('operationPressReleases.none')}</p>
            ) : (
              (['draft', 'published'] as const).map((status) => {
                const rows = list.data.pressReleases.filter((r) => r.status === status);
                if (rows.length === 0) return null;
                return (
                  <div key={status}>
                    <h3>{status === 'draft' ? t('operationPressReleases.draftsHeading', { count: rows.length }) : t('operationPressReleases.publishedHeading', { count: rows.length })}</h3>
                    <ReleaseTable caption={status === 'draft' ? t('operationPressReleases.draftsCaption', { name: o.name }) : t('operationPressReleases.publishedCaption', { name: o.name })} rows={rows} details={details} withOperation={false} />
                  </div>
                );
              })
            )}
          </section>
        </>
      )}
    </>
  );
}
