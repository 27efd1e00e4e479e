import type { ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { OperationDto } from '../../api/types.ts';
import { BackLink } from '../../components/BackLink.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { hasOutcomeToRelease, writesReleasesFor } from '../press-releases/access.ts';
import { OperationStatusTag } from './labels.tsx';

export type OperationTab = 'overview' | 'field' | 'referrals' | 'custody' | 'outcome' | 'pressReleases';

const PATHS = {
  overview: '/operations/$operationId',
  field: '/operations/$operationId/field',
  referrals: '/operations/$operationId/referrals',
  custody: '/operations/$operationId/custody',
  outcome: '/operations/$operationId/outcome',
  pressReleases: '/operations/$operationId/press-releases',
} as const;

/**
 * The parts of an operation this user may open: person-level pages need `operation.readContacts`;
 * the press release is for the task force's PIOs and the lead agency's coordinators once the
 * operation is active or closed.
 */
export function operationTabs(op: Pick<OperationDto, 'abilities' | 'status'>): OperationTab[] {
  const tabs: OperationTab[] = ['overview'];
  const persons = op.abilities['operation.readContacts'] === true || op.abilities['operation.recordContact'] === true;
  if (persons) tabs.push('field', 'referrals', 'custody');
  if (op.abilities['operation.readOutcome']) tabs.push('outcome');
  if (hasOutcomeToRelease(op) && writesReleasesFor(op)) tabs.push('pressReleases');
  return tabs;
}

/** Links between an operation's pages, as a row of tabs that scrolls sideways on a phone. */
export function OperationTabs({ op, current }: { op: OperationDto; current: OperationTab }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('operation.sections')} className="lantern-tabs">
      <ul>
        {operationTabs(op).map((tab) => (
          <li key={tab}>
            <Link
              to={PATHS[tab]}
              params={{ operationId: op.id }}
              className={tab === current ? 'lantern-tabs__link is-current' : 'lantern-tabs__link'}
              aria-current={tab === current ? 'page' : undefined}
            >
              {t(`operation.tabs.${tab}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Back link, the page's title with the operation's status beside it, and the section tabs. */
export function OperationHeader({ op, current, title, actions }: { op: OperationDto; current: OperationTab; title: string; actions?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {current === 'overview' ? (
        <BackLink to="/operations">{t('operations.title')}</BackLink>
      ) : (
        <BackLink to="/operations/$operationId" params={{ operationId: op.id }}>
          {op.name}
        </BackLink>
      )}
      <PageTitle
        title={title}
        actions={
          <>
            <OperationStatusTag status={op.status} />
            {actions}
          </>
        }
      />
      <OperationTabs op={op} current={current} />
    </>
  );
}
