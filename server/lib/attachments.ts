import type { FastifyReply } from 'fastify';
import { AppError, invalid } from './errors.ts';

/*
 * Files sent as base64 inside JSON (evidence photos, a client's documents): decoded and checked here, once,
 * and sent back by `sendFile` so that a browser saves them and never renders or sniffs them.
 */

/** The types a file may be uploaded as, by what each one's bytes start with. */
const MAGIC = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
} as const satisfies Record<string, readonly number[]>;
export type UploadType = keyof typeof MAGIC;

const KIND: Record<UploadType, string> = { 'image/jpeg': 'JPEG image', 'image/png': 'PNG image', 'application/pdf': 'PDF' };

/** The body a route taking a file of at most `maxBytes` needs: the base64 text and the rest of the JSON. */
export const uploadBodyLimit = (maxBytes: number) => Math.ceil((maxBytes * 4) / 3) + 64 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a file sent as base64 and checks it: at most `maxBytes` (else 413, naming `field`), and its first
 * bytes those of the declared type (else 400), so that a page or a script cannot be stored as a "PDF".
 */
export function decodeUpload(upload: { contentType: UploadType; base64: string }, field: string, maxBytes: number): Buffer {
  const text = upload.base64.replace(/\s+/g, '');
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) throw invalid(field, 'must be the file encoded as base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const size = (text.length / 4) * 3 - padding;
  if (size > maxBytes) {
    throw new AppError('payload_too_large', 413, `${field}: the file is ${size} bytes; at most ${maxBytes} (${Math.round(maxBytes / 1024 / 1024)} MB) may be attached`, field);
  }
  const bytes = Buffer.from(text, 'base64');
  const magic = MAGIC[upload.contentType];
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) throw invalid(field, `the file is not a ${KIND[upload.contentType]} (its first bytes do not match its type)`);
  return bytes;
}

/** Safe inside a quoted Content-Disposition filename: letters, digits, dot, dash, underscore. */
export const safeFilename = (name: string, fallback = 'attachment') => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 120) || fallback;

/**
 * Sends a stored file as a download: its checked type, saved rather than shown (`attachment`, a safe name),
 * never sniffed or run (nosniff, a sandboxing CSP), and never kept in a browser's or proxy's cache.
 * `sha256` (hex), when the upload's digest was recorded, goes out as `Repr-Digest`.
 */
export function sendFile(reply: FastifyReply, file: { bytes: Buffer; contentType: string; filename: string; sha256?: string | null }) {
  reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${safeFilename(file.filename)}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store');
  if (file.sha256) reply.header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
  return reply.send(file.bytes);
}
