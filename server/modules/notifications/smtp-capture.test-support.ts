import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as it arrived at the capturing SMTP server. */
export interface CapturedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const hex = src[i] === '=' ? src.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Enough MIME for the single-part text emails Lantern sends. */
export function parseEmail(raw: string, envelope: { from: string; to: string[] }): CapturedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const bodyRaw = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable' ? decodeQuotedPrintable(bodyRaw) : encoding === 'base64' ? Buffer.from(bodyRaw, 'base64').toString('utf8') : bodyRaw;
  return { from: envelope.from, to: envelope.to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), raw };
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:<port>?ignoreTLS=true, for LANTERN_SMTP_URL. */
  url: string;
  messages: CapturedEmail[];
  /** Resolves once `count` messages in all have arrived (polls the list; no fixed sleep). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedEmail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives, for tests (no TLS, no authentication).
 * With `file`, each message is also appended to it as one JSON line, for the browser tests to read.
 */
export async function startSmtpCapture(opts: { file?: string } = {}): Promise<SmtpCapture> {
  const messages: CapturedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        const message = parseEmail(Buffer.concat(chunks).toString('utf8'), envelope);
        messages.push(message);
        if (opts.file) fs.appendFileSync(opts.file, `${JSON.stringify({ ...message, raw: undefined })}\n`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    messages,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} emails, ${messages.length} arrived`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
