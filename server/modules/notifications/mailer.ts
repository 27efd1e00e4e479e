import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { EmailGroup } from '../../../common/schemas/notifications.ts';

/** What the dispatcher hands to SMTP: one message to one person. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

/** An SMTP mailer from LANTERN_SMTP_URL (nodemailer reads options such as `?ignoreTLS=true` from the URL); null when email is off. */
export function smtpMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  if (!config.smtpUrl || !config.mailFrom) return null;
  const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
  const from = config.mailFrom;
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        // RFC 3834: an automatic message; out-of-office replies should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}

export const NOTICE_SUBJECT = 'You have a notice in Lantern';
export const DIGEST_SUBJECT = 'Your notices in Lantern today';

function links(publicUrl: string | undefined) {
  const at = (p: string) => (publicUrl ? `${publicUrl}${p}` : null);
  return { inbox: at('/inbox'), preferences: at('/account#notifications') };
}

function preferencesLine(publicUrl: string | undefined) {
  const where = links(publicUrl).preferences;
  return (
    `To choose which notices you get by email, or to get one email a day instead, ${where ? `go to ${where}` : 'open your account page in Lantern'}. ` +
    'Custody deadline emails cannot be turned off.'
  );
}

/**
 * The email about one notice. It never carries case content — no names, places, counts or titles of
 * operations: email leaves the task force's systems, so it only says that a notice waits, and where.
 */
export function noticeEmail(to: string, group: EmailGroup, opts: { publicUrl: string | undefined; aboutRecipient: boolean }): OutgoingEmail {
  const { inbox } = links(opts.publicUrl);
  const lines: string[] = [];
  if (group === 'account' && opts.aboutRecipient) {
    // The locked person cannot sign in to read the notice: the email says what happened to their own account.
    lines.push(
      'Your Lantern account was locked after repeated failed attempts to sign in.',
      '',
      'If that was not you, tell your agency administrator: someone may be trying your password. Your administrator can unlock the account.',
    );
  } else {
    lines.push('You have a new notice in Lantern.', '');
    if (group === 'custody') lines.push('It is time-critical: please sign in soon.', '');
    lines.push(inbox ? `Sign in to read it: ${inbox}` : 'Sign in to Lantern to read it.');
  }
  lines.push('', 'For your safety, this email says nothing about the notice itself.', preferencesLine(opts.publicUrl));
  return { to, subject: NOTICE_SUBJECT, text: `${lines.join('\n')}\n` };
}

/** The day's digest: that notices wait, never how many or what about. */
export function digestEmail(to: string, opts: { publicUrl: string | undefined }): OutgoingEmail {
  const { inbox } = links(opts.publicUrl);
  const lines = [
    'You have new notices in Lantern since your last daily email.',
    '',
    inbox ? `Sign in to read them: ${inbox}` : 'Sign in to Lantern to read them.',
    '',
    'For your safety, this email says nothing about the notices themselves.',
    preferencesLine(opts.publicUrl),
  ];
  return { to, subject: DIGEST_SUBJECT, text: `${lines.join('\n')}\n` };
}
