import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGE_LABELS } from '../../../../common/businesses.ts';
import { BackLink } from '../../components/BackLink.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { landlordQuery, type LandlordDto } from './api.ts';
import { AddContactForm, ContactHistory } from './LandlordContacts.tsx';
import './campaign.css';

/** A landlord (issue #11, item 3): the owner and their agent, their properties in the registry, and the contact history. */
export function LandlordPage() {
  const { t } = useTranslation();
  const { landlordId } = useParams({ strict: false }) as { landlordId: string };
  const landlord = useQuery(landlordQuery(landlordId));
  if (landlord.isPending) return <Loading />;
  if (landlord.isError)
    return (
      <>
        <PageTitle title={t('campaign.landlord.title')} />
        <LoadError error={landlord.error} />
      </>
    );
  return <Landlord landlord={landlord.data} />;
}

function Landlord({ landlord }: { landlord: LandlordDto }) {
  const { t } = useTranslation();
  const canContact = landlord.abilities['landlord.addContact'] === true || landlord.abilities['business.updateLandlord'] === true || landlord.abilities['landlord.update'] === true;
  const none = t('common.none');
  return (
    <>
      <BackLink to="/businesses">{t('campaign.nav.registry')}</BackLink>
      <PageTitle title={landlord.name} lead={t(`campaign.landlord.kinds.${landlord.kind}`, { defaultValue: landlord.kind })} />
      <section className="lantern-section" aria-labelledby="landlord-details">
        <h2 id="landlord-details">{t('campaign.landlord.details')}</h2>
        <dl className="lantern-campaign-details">
          <dt>{t('campaign.landlord.agent')}</dt>
          <dd>{landlord.agent ?? none}</dd>
          <dt>{t('campaign.landlord.mailingAddress')}</dt>
          <dd className="lantern-campaign-pre">{landlord.mailingAddress ?? none}</dd>
          <dt>{t('campaign.landlord.phone')}</dt>
          <dd>{landlord.phone ?? none}</dd>
          <dt>{t('campaign.landlord.email')}</dt>
          <dd>{landlord.email ?? none}</dd>
          <dt>{t('campaign.landlord.source')}</dt>
          <dd>{landlord.source}</dd>
        </dl>
      </section>
      <section className="lantern-section" aria-labelledby="landlord-properties">
        <h2 id="landlord-properties">{t('campaign.landlord.properties', { count: landlord.properties.length })}</h2>
        {landlord.properties.length === 0 ? (
          <p>{t('campaign.landlord.noProperties')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption className="usa-sr-only">{t('campaign.landlord.properties', { count: landlord.properties.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaign.landlord.business')}</th>
                <th scope="col">{t('campaign.landlord.address')}</th>
                <th scope="col">{t('campaign.dashboard.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {landlord.properties.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to="/businesses/$businessId" params={{ businessId: p.id }} className="usa-link">
                      {p.name}
                    </Link>
                  </th>
                  <td>{`${p.address}, ${p.city}`}</td>
                  <td>
                    <Tag tone={p.stage === 'cleared' ? 'ok' : 'info'}>{BUSINESS_STAGE_LABELS[p.stage]}</Tag>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="lantern-section" aria-labelledby="landlord-contacts">
        <ContactHistory contacts={landlord.contacts} businessNames={new Map(landlord.properties.map((p) => [p.id, p.name]))} headingLevel="h2" headingId="landlord-contacts" />
        {canContact ? (
          <>
            <h3>{t('campaign.contacts.add')}</h3>
            <AddContactForm landlordId={landlord.id} />
          </>
        ) : null}
      </section>
    </>
  );
}
