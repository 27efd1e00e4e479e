import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import closeIcon from '@uswds/uswds/img/usa-icons/close.svg';
import { inboxQuery } from '../api/queries.ts';
import type { MeDto } from '../api/types.ts';
import { useSignOut } from '../features/auth/useSignOut.ts';
import { navItems } from './nav.ts';

function LanternMark() {
  return (
    <svg className="lantern-logo__mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="#1a4480" d="M9 2h6v2h-6z" />
      <path fill="#1a4480" d="M7 5h10l1 3v10l-1 3H7l-1-3V8z" />
      <path fill="#ffbe2e" d="M12 9c1.8 2 2.5 3.4 2.5 4.8A2.5 2.5 0 0 1 12 16.3a2.5 2.5 0 0 1-2.5-2.5C9.5 12.4 10.2 11 12 9z" />
    </svg>
  );
}

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a
      className="usa-skipnav"
      href="#main-content"
      onClick={(event) => {
        event.preventDefault();
        document.getElementById('main-content')?.focus();
      }}
    >
      {t('shell.skip')}
    </a>
  );
}

/** Signed in, the mark leads to the staff home; otherwise to the public site's front door (a page of the server's). */
function Logo({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="usa-logo">
      <em className="usa-logo__text">
        {signedIn ? (
          <Link to="/home" aria-label={t('shell.homeLink')}>
            <LanternMark />
            {t('app.name')}
          </Link>
        ) : (
          <a href="/">
            <LanternMark />
            {t('app.name')}
          </a>
        )}
      </em>
    </div>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The signed-in header: logo, who is signed in, and the navigation their abilities allow. */
export function AppHeader({ me }: { me: MeDto }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const signOut = useSignOut();
  const items = navItems(me);
  // Unread notices, refreshed every minute: shown beside Inbox (and on the Menu button on a phone).
  const unread = useQuery({ ...inboxQuery(true), retry: false }).data?.unread ?? 0;

  // The mobile menu is a drawer: lock the page behind it, start on its close button, and give focus
  // back to the Menu button when it closes.
  useEffect(() => {
    document.body.classList.toggle('usa-js-mobile-nav--active', open);
    if (open) closeButton.current?.focus();
    return () => document.body.classList.remove('usa-js-mobile-nav--active');
  }, [open]);

  const close = () => {
    setOpen(false);
    menuButton.current?.focus();
  };

  const onNavKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== 'Tab' || !navRef.current) return;
    const focusable = Array.from(navRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const isCurrent = (to: string) => pathname === to || pathname.startsWith(`${to}/`);

  return (
    <>
      <div className={open ? 'usa-overlay is-visible' : 'usa-overlay'} onClick={close} aria-hidden="true" />
      <header className="usa-header usa-header--extended lantern-header">
        <div className="usa-navbar">
          <Logo signedIn />
          <button
            ref={menuButton}
            type="button"
            className="usa-menu-btn"
            aria-expanded={open}
            aria-controls="primary-nav"
            onClick={() => setOpen(true)}
          >
            {t('shell.menu')}
            {unread > 0 ? (
              <>
                <span className="lantern-badge" aria-hidden="true">
                  {unread}
                </span>
                <span className="usa-sr-only">{t('shell.unread', { count: unread })}</span>
              </>
            ) : null}
          </button>
        </div>
        <nav
          ref={navRef}
          id="primary-nav"
          aria-label={t('shell.primaryNav')}
          className={open ? 'usa-nav is-visible' : 'usa-nav'}
          onKeyDown={onNavKeyDown}
        >
          <div className="usa-nav__inner">
            <button ref={closeButton} type="button" className="usa-nav__close" onClick={close}>
              <img src={closeIcon} role="img" alt={t('shell.closeMenu')} />
            </button>
            <ul className="usa-nav__primary usa-accordion">
              {items.map((item) => (
                <li key={item.key} className="usa-nav__primary-item">
                  <Link
                    to={item.to}
                    className={isCurrent(item.to) ? 'usa-nav-link usa-current' : 'usa-nav-link'}
                    aria-current={isCurrent(item.to) ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    <span>{t(`nav.${item.key}`)}</span>
                    {item.key === 'inbox' && unread > 0 ? (
                      <>
                        <span className="lantern-badge" aria-hidden="true">
                          {unread}
                        </span>
                        <span className="usa-sr-only">{t('shell.unread', { count: unread })}</span>
                      </>
                    ) : null}
                  </Link>
                </li>
              ))}
            </ul>
            <div className="usa-nav__secondary">
              <div className="lantern-nav-user">
                <div className="lantern-who">
                  <span className="usa-sr-only">{t('shell.signedInAs')} </span>
                  <span className="lantern-who__name">{me.user.displayName}</span>
                  <span aria-hidden="true"> · </span>
                  <span>{me.agency.name}</span>
                  {me.taskForces.length > 0 ? (
                    <>
                      <br />
                      <span>
                        {t('shell.taskForces', { count: me.taskForces.length })}{' '}
                        {me.taskForces.map((tf) => tf.name).join(', ')}
                      </span>
                    </>
                  ) : null}
                </div>
              </div>
              <ul className="usa-nav__secondary-links">
                <li className="usa-nav__secondary-item">
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled"
                    disabled={signOut.isPending}
                    onClick={() => signOut.mutate()}
                  >
                    {signOut.isPending ? t('shell.signingOut') : t('shell.signOut')}
                  </button>
                </li>
              </ul>
            </div>
          </div>
        </nav>
      </header>
    </>
  );
}

/** The header before sign-in (and on pages shown to anyone): the name of the app and nothing else. */
export function PublicHeader() {
  return (
    <header className="usa-header usa-header--basic lantern-header">
      <div className="usa-nav-container">
        <div className="usa-navbar">
          <Logo signedIn={false} />
        </div>
      </div>
    </header>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="usa-footer usa-footer--slim lantern-footer">
      <div className="usa-footer__primary-section">
        <div className="grid-container">
          <p>{t('shell.footerNotice')}</p>
          <p>{t('shell.footerProject')}</p>
        </div>
      </div>
    </footer>
  );
}

/** The page frame: skip link, header, one `<main>`, footer. */
export function Shell({ header, children }: { header: ReactNode; children: ReactNode }) {
  return (
    <div className="lantern-app">
      <SkipLink />
      {header}
      <main id="main-content" className="lantern-main" tabIndex={-1}>
        <div className="grid-container">{children}</div>
      </main>
      <SiteFooter />
    </div>
  );
}
