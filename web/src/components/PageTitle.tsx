import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

let focusNextTitle = false;

/** Called by the shell after a client-side navigation: the next page title to mount takes focus. */
export function requestTitleFocus(): void {
  focusNextTitle = true;
}

/** Sets the document title ("Users · Lantern"). */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('app.documentTitle', { page: title });
  }, [title, t]);
}

interface PageTitleProps {
  title: string;
  /** Buttons or links beside the heading (e.g. "Add user"). */
  actions?: ReactNode;
  lead?: ReactNode;
}

/**
 * The page's one h1, which also names the document. The shell moves focus to it after each
 * navigation so screen-reader users hear where they landed.
 */
export function PageTitle({ title, actions, lead }: PageTitleProps) {
  useDocumentTitle(title);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusNextTitle) {
      focusNextTitle = false;
      ref.current?.focus();
    }
  }, []);
  return (
    <>
      <div className="lantern-page-head">
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="lantern-page-head__actions">{actions}</div> : null}
      </div>
      {lead ? <p className="lantern-lead">{lead}</p> : null}
    </>
  );
}
