import fs from 'node:fs';
import path from 'node:path';

/**
 * A checkpoint as written outside the database: its number, id, time, MAC (which commits to the heads
 * of every chain under the audit key) and link to the previous checkpoint, with its Ed25519 signature.
 * One JSON object a line. The heads themselves stay in the database: a line stays a few hundred bytes
 * however many chains there are, and a checkpoint whose heads were changed no longer has this MAC.
 */
export interface Anchor {
  seq: number;
  id: string;
  at: string;
  prev_hash: string;
  hash: string;
  key_id: string;
  signature: string;
}

/** Where checkpoints are anchored: a file the operator names (LANTERN_AUDIT_ANCHORS). */
export interface AnchorSink {
  readonly location: string;
  /** Appends and forces the line to disk before returning; throws if it cannot. */
  append(anchor: Anchor): void;
}

/**
 * Appends to a JSON-lines file (mode 0600 when created), flushed with fsync. Several processes may
 * share the file: each line is one `write` in append mode, which the kernel places whole at the end.
 * The operator makes the file hard to rewrite for whoever can write the database: another owner, an
 * append-only attribute (`chattr +a`), a mount on another machine, or a copy shipped off the host.
 */
export function fileAnchorSink(file: string): AnchorSink {
  return {
    location: file,
    append(anchor) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(file, 'a+', 0o600);
      try {
        // A line cut short by a crash is closed first, so it cannot swallow the next anchor.
        const size = fs.fstatSync(fd).size;
        const last = Buffer.alloc(1);
        const torn = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
        fs.writeSync(fd, `${torn ? '\n' : ''}${JSON.stringify(anchor)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

export interface ReadAnchor extends Anchor {
  file: string;
  line: number;
}

export interface AnchorsRead {
  anchors: ReadAnchor[];
  /** Lines that are not anchors (edited by hand, or cut short by a crash), with where they are. */
  malformed: { file: string; line: number }[];
}

const isAnchor = (v: unknown): v is Anchor => {
  const a = v as Record<string, unknown>;
  return (
    typeof a === 'object' && a !== null && Number.isInteger(a.seq) && (a.seq as number) > 0 &&
    ['id', 'at', 'prev_hash', 'hash', 'key_id', 'signature'].every((k) => typeof a[k] === 'string')
  );
};

/** Reads anchors files, in the order given; a missing file is an error (the operator named it). */
export function readAnchors(files: readonly string[]): AnchorsRead {
  const out: AnchorsRead = { anchors: [], malformed: [] };
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (isAnchor(parsed)) {
        const { seq, id, at, prev_hash, hash, key_id, signature } = parsed;
        out.anchors.push({ seq, id, at, prev_hash, hash, key_id, signature, file, line: i + 1 });
      } else out.malformed.push({ file, line: i + 1 });
    });
  }
  return out;
}
