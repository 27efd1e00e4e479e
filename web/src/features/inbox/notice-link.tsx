import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { inbox } from '../../api/endpoints.ts';
import { keys } from '../../api/queries.ts';
import type { InboxItemDto } from '../../api/types.ts';

/**
 * A notice's title as a link to the record it is about (an operation, a referral, a custody
 * hand-off, a tip); opening an unread notice marks it read. A notice about nothing openable stays text.
 */
export function NoticeLink({ item, children, onOpen }: { item: InboxItemDto; children: ReactNode; onOpen?: (() => void) | undefined }) {
  const queryClient = useQueryClient();
  const open = () => {
    if (item.read) return;
    if (onOpen) onOpen();
    else void inbox.markRead(item.id).then(() => queryClient.invalidateQueries({ queryKey: keys.inboxAll }));
  };
  const id = item.recordId;
  if (id && item.recordType === 'operation') {
    return (
      <Link to="/operations/$operationId" params={{ operationId: id }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  if (id && item.recordType === 'referral') {
    return (
      <Link to="/referrals/$referralId" params={{ referralId: id }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  if (id && item.recordType === 'custody_handoff') {
    return (
      <Link to="/custody/$handoffId" params={{ handoffId: id }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  if (id && item.recordType === 'tip') {
    return (
      <Link to="/tip-queue/$tipId" params={{ tipId: id }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  if (id && item.recordType === 'contact') {
    return (
      <Link to="/contacts/$contactId" params={{ contactId: id }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  if (item.operationId) {
    return (
      <Link to="/operations/$operationId" params={{ operationId: item.operationId }} className="usa-link" onClick={open}>
        {children}
      </Link>
    );
  }
  return <>{children}</>;
}
