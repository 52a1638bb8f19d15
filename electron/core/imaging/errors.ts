// Why a photo could not be decoded, in words a person can act on: every failure of reading or
// decoding becomes one ImageDecodeError that names the file, with a code for the caller
// (skip, retry, report) and a short human reason.

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
export function notAnImage(file: string, bytes: Buffer, cause?: unknown): ImageDecodeError {
  const reason = looksLikeText(bytes)
    ? 'not an image file (looks like text)'
    : 'not an image file (unrecognised content)';
  return new ImageDecodeError(file, 'unsupported', reason, { cause });
}

// libpng reports a cut-off file and a damaged one alike ("libpng read error"), so look for
// the closing IEND chunk to tell them apart.
function pngIsComplete(bytes: Buffer): boolean {
  return bytes.subarray(-12, -8).equals(Buffer.from([0, 0, 0, 0])) && bytes.subarray(-8, -4).toString('latin1') === 'IEND';
}

/** Maps an error thrown by sharp/libvips (or the HEIC decoder) while decoding pixels. */
export function decodeError(file: string, format: string, bytes: Buffer, err: unknown): ImageDecodeError {
  const message = err instanceof Error ? err.message : String(err);
  const lower = message.toLowerCase();
  if (lower.includes('unsupported image format')) return notAnImage(file, bytes, err);
  if (lower.includes('exceeds pixel limit')) {
    return new ImageDecodeError(file, 'too-large', 'image too large for the pixel limit', { cause: err });
  }
  if (
    lower.includes('premature end') ||
    lower.includes('truncated') ||
    lower.includes('unexpected end') ||
    lower.includes('not enough data') ||
    (format === 'png' && lower.includes('read error') && !pngIsComplete(bytes))
  ) {
    return new ImageDecodeError(file, 'truncated', 'image data is truncated (the file is incomplete)', { cause: err });
  }
  // libvips repeats its message once per failed tile; one line is enough for a person.
  const detail = message.replace(/^Input (buffer|file) has corrupt header: /, '').split('\n')[0]?.trim() ?? '';
  const what = lower.includes('corrupt header') ? 'image header is corrupt' : 'image data is corrupt';
  return new ImageDecodeError(file, 'corrupt', detail ? `${what} (${detail})` : what, { cause: err });
}
