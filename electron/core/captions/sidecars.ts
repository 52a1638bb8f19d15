// Captions beside and inside a photo, read only (Shoebox never writes into a photo file):
//   1. 'txt'  — a text file with the photo's base name: IMG_1.jpg → IMG_1.txt (the layout of
//               image-caption training sets); UTF-8 (BOM stripped) or UTF-16 with a BOM;
//   2. 'xmp'  — the XMP sidecar's dc:description (an rdf:Alt: the x-default entry, else the
//               first): IMG_1.jpg.xmp (digiKam, darktable) first, then IMG_1.xmp (Lightroom);
//   3. 'exif' — the photo's own metadata: embedded XMP dc:description, IPTC Caption-Abstract,
//               EXIF ImageDescription, Windows' XPComment (the first one set), skipping the
//               words cameras fill in by themselves ("OLYMPUS DIGITAL CAMERA", "SONY DSC").
// The first source that gives a caption wins. A sidecar that cannot be used (binary, too long,
// not XML, unreadable) is a problem naming the file and the reason, and the next source is
// tried; broken embedded metadata is no caption, as for the rest of a photo's EXIF (imaging/exif.ts).
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Element } from '@xmldom/xmldom';
import exifr from 'exifr';
import type { ImportedCaptionSource } from '../store/captions.js';
import { childElements, parseXml, XMP_NS } from '../xmp-document.js';
import { errorMessage } from '../../common/error-message.js';

/** The longest caption, in characters (user's or imported). */
export const MAX_CAPTION_CHARS = 2000;
/** A caption file larger than this cannot hold MAX_CAPTION_CHARS characters (≤ 4 bytes each, + BOM). */
export const MAX_TXT_BYTES = 4 * MAX_CAPTION_CHARS + 4;
/** XMP sidecars carry edit histories (darktable): generous, but not unbounded. */
export const MAX_XMP_BYTES = 8 * 1024 * 1024;

export interface FoundCaption {
  text: string;
  source: ImportedCaptionSource;
}

/** A sidecar that could not be used: the file and why, in words. */
export interface CaptionProblem {
  path: string;
  reason: string;
}

export class CaptionFileError extends Error {
  override name = 'CaptionFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const NS = XMP_NS;

// C0 controls other than tab, line feed, form feed and carriage return, and DEL: not text.
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g;

/**
 * A caption as stored: control characters dropped, every run of white space (line breaks
 * included) made one space, trimmed. One line, so that it reads the same in a list, a CSV and a
 * training batch.
 */
export function normaliseCaption(text: string): string {
  return text.replace(CONTROL_ALL, '').replace(/\s+/g, ' ').trim();
}

function tooLong(chars: number): string {
  return `the caption is too long (${chars.toLocaleString('en')} characters; at most ${MAX_CAPTION_CHARS.toLocaleString('en')})`;
}

/**
 * The caption in a .txt file's bytes; null when it holds only white space. Throws
 * CaptionFileError for a binary file or one longer than MAX_CAPTION_CHARS.
 */
export function decodeCaptionText(bytes: Uint8Array, file: string): string | null {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    // TextDecoder drops a UTF-8 byte-order mark by itself.
    else text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CaptionFileError(file, 'not a text file (it is not UTF-8 text; save it as UTF-8)');
  }
  if (CONTROL.test(text)) throw new CaptionFileError(file, 'not a text file (it holds binary data)');
  const caption = normaliseCaption(text);
  if (caption.length > MAX_CAPTION_CHARS) throw new CaptionFileError(file, tooLong(caption.length));
  return caption === '' ? null : caption;
}

/** Reads at most `limit` bytes of a file; throws CaptionFileError when it is larger or unreadable. */
async function readBounded(file: string, limit: number, what: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new CaptionFileError(file, `cannot be read (${describeFsError(err)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CaptionFileError(file, 'is not a file');
    if (info.size > limit) {
      throw new CaptionFileError(file, `too big for ${what} (${info.size.toLocaleString('en')} bytes; at most ${limit.toLocaleString('en')})`);
    }
    // Read up to limit + 1: a file that grew since the stat is still refused.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) throw new CaptionFileError(file, `too big for ${what} (more than ${limit.toLocaleString('en')} bytes)`);
    }
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof CaptionFileError) throw err;
    throw new CaptionFileError(file, `cannot be read (${describeFsError(err)})`);
  } finally {
    await handle.close();
  }
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it no longer exists';
  if (code === 'EISDIR') return 'it is a folder';
  return errorMessage(err);
}

/** The caption of a .txt sidecar, or null when it is blank. Throws CaptionFileError. */
export async function readTxtSidecar(file: string): Promise<string | null> {
  return decodeCaptionText(await readBounded(file, MAX_TXT_BYTES, 'a caption file'), file);
}

/** The dc:description of an XMP sidecar, or null when it has none. Throws CaptionFileError. */
export async function readXmpSidecar(file: string): Promise<string | null> {
  const bytes = await readBounded(file, MAX_XMP_BYTES, 'an XMP sidecar');
  try {
    return xmpDescription(new TextDecoder('utf-8').decode(bytes));
  } catch (err) {
    throw new CaptionFileError(file, errorMessage(err));
  }
}

/**
 * The dc:description of an XMP packet: the rdf:Alt's x-default entry, else its first non-empty
 * one; a plain element or attribute value is taken too. Null when there is none. Throws an Error
 * saying why when the packet is not XML or the description is too long.
 */
export function xmpDescription(xml: string): string | null {
  const doc = parseXml(xml, (message) => new Error(message));
  let value: string | null = null;
  for (const element of Array.from(doc.getElementsByTagNameNS(NS.dc, 'description'))) {
    value = descriptionValue(element);
    if (value !== null) break;
  }
  if (value === null) {
    for (const description of Array.from(doc.getElementsByTagNameNS(NS.rdf, 'Description'))) {
      const attribute = description.getAttributeNS(NS.dc, 'description');
      if (attribute && normaliseCaption(attribute) !== '') {
        value = attribute;
        break;
      }
    }
  }
  if (value === null) return null;
  const caption = normaliseCaption(value);
  if (caption.length > MAX_CAPTION_CHARS) throw new Error(`its dc:description: ${tooLong(caption.length)}`);
  return caption === '' ? null : caption;
}

function descriptionValue(element: Element): string | null {
  const container = childElements(element).find((c) => c.namespaceURI === NS.rdf && ['Alt', 'Bag', 'Seq'].includes(c.localName ?? ''));
  if (!container) {
    const text = element.textContent ?? '';
    return normaliseCaption(text) === '' ? null : text;
  }
  const items = childElements(container)
    .filter((c) => c.namespaceURI === NS.rdf && c.localName === 'li')
    .map((li) => ({ lang: (li.getAttributeNS(NS.xml, 'lang') || li.getAttribute('xml:lang') || '').toLowerCase(), text: li.textContent ?? '' }))
    .filter((item) => normaliseCaption(item.text) !== '');
  return (items.find((i) => i.lang === 'x-default') ?? items[0])?.text ?? null;
}

// What cameras and phones write into ImageDescription by themselves: not a caption.
const CAMERA_FILLER = [
  /^(?:(?:olympus|konica minolta|minolta|samsung|leica|pentax|kodak|nikon|canon|fujifilm|casio|sanyo|ricoh|panasonic|hp|vivitar|polaroid|premier)\s+)?digital (?:still )?camera$/i,
  /^(?:sony dsc|exif_jpeg_picture|default|untitled|no description|image description|description|picture|photo|image|dcim\b.*)$/i,
  // Punctuation only ("...", "-").
  /^[\p{P}\p{S}\s]*$/u,
];

export function isCameraFiller(text: string): boolean {
  return CAMERA_FILLER.some((re) => re.test(text));
}

/** The tags read for a caption (exifr's names); what each holds as exifr gives it. */
export interface EmbeddedCaptionTags {
  /** The embedded XMP packet, unparsed. */
  xmp?: unknown;
  /** IPTC Caption-Abstract (2:120), as exifr decodes it (bytes as Latin-1). */
  iptcCaption?: unknown;
  ImageDescription?: unknown;
  XPComment?: unknown;
}

/** IPTC text is UTF-8 in practice (and when 1:90 says so); exifr decodes it as Latin-1. */
function iptcText(value: string): string {
  const bytes = Buffer.from(value, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}

/** The caption in a photo's own metadata (precedence as listed at the top), or null. Never throws. */
export function embeddedCaption(tags: EmbeddedCaptionTags): string | null {
  const candidates: (() => string | null)[] = [
    () => (typeof tags.xmp === 'string' ? xmpDescription(tags.xmp) : null),
    () => (typeof tags.iptcCaption === 'string' ? iptcText(tags.iptcCaption) : null),
    () => (typeof tags.ImageDescription === 'string' ? tags.ImageDescription : null),
    () => (typeof tags.XPComment === 'string' ? tags.XPComment : null),
  ];
  for (const candidate of candidates) {
    let text: string | null;
    try {
      text = candidate();
    } catch {
      continue;
    }
    if (text === null) continue;
    const caption = normaliseCaption(text);
    if (caption !== '' && caption.length <= MAX_CAPTION_CHARS && !isCameraFiller(caption)) return caption;
  }
  return null;
}

// Only IFD0 (ImageDescription, XPComment), IPTC and the XMP packet; exifr reads the file in chunks.
const EXIFR_OPTIONS: Parameters<typeof exifr.parse>[1] = {
  tiff: true,
  exif: false,
  gps: false,
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: { parse: false },
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: false,
  mergeOutput: false,
  translateKeys: true,
  translateValues: false,
  // XPComment is UCS-2 bytes; revived, exifr decodes it.
  reviveValues: true,
};

/** The caption in a photo file's own metadata, or null (also when the metadata cannot be read). */
export async function readEmbeddedCaption(photoPath: string): Promise<string | null> {
  let out: Record<string, Record<string, unknown> | string | undefined> | undefined;
  try {
    out = (await exifr.parse(photoPath, EXIFR_OPTIONS)) as typeof out;
  } catch {
    return null;
  }
  if (!out) return null;
  const ifd0 = typeof out.ifd0 === 'object' ? out.ifd0 : undefined;
  const iptc = typeof out.iptc === 'object' ? out.iptc : undefined;
  return embeddedCaption({ xmp: out.xmp, iptcCaption: iptc?.Caption, ImageDescription: ifd0?.ImageDescription, XPComment: ifd0?.XPComment });
}

/** The sidecar names looked for beside `photo`, in the order they are read. */
export function sidecarNames(photo: string): { txt: string; xmp: string[] } {
  const name = path.basename(photo);
  const base = path.parse(name).name;
  return { txt: `${base}.txt`, xmp: [`${name}.xmp`, `${base}.xmp`] };
}

/** How many folders' listings are kept (photos come in path order: a folder's photos together). */
const FOLDERS_KEPT = 64;

/**
 * Finds sidecars by listing each folder once (not a stat per candidate name), so photos without
 * sidecars cost one readdir per folder. Names match exactly, else ignoring case (IMG_1.JPG →
 * IMG_1.TXT). A folder that cannot be listed has no sidecars.
 */
export class SidecarFinder {
  private readonly folders = new Map<string, Promise<Map<string, string[]>>>();

  async find(photo: string): Promise<{ txt: string | null; xmp: string[] }> {
    const folder = path.dirname(photo);
    const names = await this.listing(folder);
    const wanted = sidecarNames(photo);
    const pick = (name: string): string | null => {
      const found = names.get(name.toLowerCase());
      if (!found) return null;
      return path.join(folder, found.includes(name) ? name : found[0]!);
    };
    const xmp = [...new Set(wanted.xmp.map(pick).filter((p): p is string => p !== null))];
    return { txt: pick(wanted.txt), xmp };
  }

  private listing(folder: string): Promise<Map<string, string[]>> {
    let listing = this.folders.get(folder);
    if (!listing) {
      listing = readdir(folder).then(
        (entries) => {
          const byLower = new Map<string, string[]>();
          for (const entry of entries) {
            const lower = entry.toLowerCase();
            if (!lower.endsWith('.txt') && !lower.endsWith('.xmp')) continue;
            byLower.set(lower, [...(byLower.get(lower) ?? []), entry]);
          }
          return byLower;
        },
        () => new Map<string, string[]>(),
      );
      this.folders.set(folder, listing);
      if (this.folders.size > FOLDERS_KEPT) this.folders.delete(this.folders.keys().next().value!);
    }
    return listing;
  }
}

export interface CaptionReading {
  caption: FoundCaption | null;
  problems: CaptionProblem[];
}

/**
 * A photo's caption by precedence (txt > xmp > exif). A sidecar that cannot be used is listed in
 * `problems` and the next source is tried. `embedded: false` skips the photo's own metadata.
 */
export async function readCaption(photo: string, finder: SidecarFinder = new SidecarFinder(), options: { embedded?: boolean } = {}): Promise<CaptionReading> {
  const problems: CaptionProblem[] = [];
  const attempt = async (read: () => Promise<string | null>): Promise<string | null> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof CaptionFileError) problems.push({ path: err.path, reason: err.reason });
      else throw err;
      return null;
    }
  };
  const sidecars = await finder.find(photo);
  if (sidecars.txt) {
    const file = sidecars.txt;
    const text = await attempt(() => readTxtSidecar(file));
    if (text !== null) return { caption: { text, source: 'txt' }, problems };
  }
  for (const file of sidecars.xmp) {
    const text = await attempt(() => readXmpSidecar(file));
    if (text !== null) return { caption: { text, source: 'xmp' }, problems };
  }
  if (options.embedded !== false) {
    const text = await readEmbeddedCaption(photo);
    if (text !== null) return { caption: { text, source: 'exif' }, problems };
  }
  return { caption: null, problems };
}
