// Why a photo could not be decoded, in words a person can act on: every failure of reading or
// decoding becomes one ImageDecodeError that names the file, with a code for the caller
// (skip, retry, report) and a short human reason.

import { containerOf, isCutShort } from './container.js';
import { errorMessage } from '../../common/error-message.js';

export type ImageDecodeCode = 'empty' | 'truncated' | 'corrupt' | 'unsupported' | 'too-large' | 'unreadable';

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';

  constructor(
    readonly file: string,
    readonly code: ImageDecodeCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read photo ${file}: ${reason}`, options);
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** A failed fs read (missing file, permissions, a folder, …). */
export function readError(file: string, err: unknown): ImageDecodeError {
  const code = errorCode(err);
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'this is a folder, not a file'
          : `the file could not be read (${code ?? String(err)})`;
  return new ImageDecodeError(file, 'unreadable', reason, { cause: err });
}

// Plain text (no NUL bytes, valid UTF-8) in the first bytes: worth saying, since a text file
// with an image extension is the commonest "not an image" a person has.
function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512);
  if (head.includes(0)) return false;
  try {
    // stream: a character cut at byte 512 is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Content that is not an image format sharp recognises. */
function notAnImage(file: string, bytes: Buffer, cause?: unknown): ImageDecodeError {
  const reason = looksLikeText(bytes)
    ? 'not an image file (looks like text)'
    : 'not an image file (unrecognised content)';
  return new ImageDecodeError(file, 'unsupported', reason, { cause });
}

/**
 * Maps an error thrown by sharp/libvips (or the HEIC decoder) while reading a header or
 * decoding pixels. Decoders word a cut-off file differently (libpng and libheif call it a
 * read or processing error), so the container's own structure is checked as well.
 */
export function decodeError(file: string, bytes: Buffer, err: unknown): ImageDecodeError {
  const message = errorMessage(err);
  const lower = message.toLowerCase();
  const container = containerOf(bytes);
  if (lower.includes('unsupported image format') && !container) return notAnImage(file, bytes, err);
  if (lower.includes('exceeds pixel limit')) {
    return new ImageDecodeError(file, 'too-large', 'image too large for the pixel limit', { cause: err });
  }
  const saysTruncated = ['premature end', 'truncated', 'unexpected end', 'not enough data'].some((s) => lower.includes(s));
  if (saysTruncated || (container && isCutShort(bytes, container))) {
    return new ImageDecodeError(file, 'truncated', 'image data is truncated (the file is incomplete)', { cause: err });
  }
  // libvips repeats its message once per failed tile; one line is enough for a person.
  const first = message.replace(/^Input (buffer|file) has corrupt header: /, '').split('\n')[0]?.trim() ?? '';
  const detail = /^unknown error$/i.test(first) ? '' : first; // says nothing a person can use
  const what = lower.includes('corrupt header') || lower.includes('unsupported image format') ? 'image header is corrupt' : 'image data is corrupt';
  return new ImageDecodeError(file, 'corrupt', detail ? `${what} (${detail})` : what, { cause: err });
}
