// Photo metadata from EXIF (exifr), read from the bytes already in memory for the decode.
// Metadata is a nicety: missing or broken EXIF gives nulls, never a failed photo.

import exifr from 'exifr';

/** What a photo file says about itself, as read at decode; the store keeps a converted subset
 *  (StoredPhotoMetadata in store/photos.ts). */
export interface PhotoMetadata {
  /** When the photo was taken, ISO 8601 in the camera's local time ("2021-07-14T09:30:15"),
   *  with the UTC offset appended when the file records one. */
  takenAt: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  latitude: number | null;
  longitude: number | null;
  /** EXIF Orientation 1–8 as stored (already applied to width/height and pixels). */
  orientation: number | null;
  /** After orientation. */
  width: number;
  height: number;
}

export type ExifFields = Omit<PhotoMetadata, 'width' | 'height'>;

const NONE: ExifFields = {
  takenAt: null,
  cameraMake: null,
  cameraModel: null,
  lens: null,
  latitude: null,
  longitude: null,
  orientation: null,
};

// Only the tags used below; raw values (no translation or Date revival) so the date stays the
// camera's wall-clock time instead of being reinterpreted in this machine's time zone.
const OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateValues: false,
  reviveValues: false,
  pick: [
    'Make', 'Model', 'Orientation', 'DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate',
    'OffsetTimeDigitized', 'LensModel', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef',
  ],
};

function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.replace(/\0+$/, '').trim();
  return s === '' ? null : s;
}

// EXIF dates are "YYYY:MM:DD HH:MM:SS" without a zone; "0000:00:00 00:00:00" means unknown.
function isoDate(value: unknown, offset: unknown): string | null {
  const s = text(value);
  const m = s ? /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const valid = y >= 1800 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h <= 23 && mi <= 59 && se <= 60;
  if (!valid) return null;
  const zone = text(offset);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  return zone && /^[+-]\d{2}:\d{2}$/.test(zone) ? iso + zone : iso;
}

function coordinate(v: unknown, limit: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit ? v : null;
}

export async function readExif(bytes: Buffer): Promise<ExifFields> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, OPTIONS)) as Record<string, unknown> | undefined;
  } catch {
    return { ...NONE };
  }
  if (!tags) return { ...NONE };
  const orientation = tags.Orientation;
  // A position needs both halves.
  const latitude = coordinate(tags.latitude, 90);
  const longitude = coordinate(tags.longitude, 180);
  const located = latitude !== null && longitude !== null;
  return {
    takenAt: isoDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? isoDate(tags.CreateDate, tags.OffsetTimeDigitized),
    cameraMake: text(tags.Make),
    cameraModel: text(tags.Model),
    lens: text(tags.LensModel),
    // exifr derives signed decimal degrees from the GPS tags and their N/S/E/W refs.
    latitude: located ? latitude : null,
    longitude: located ? longitude : null,
    orientation: typeof orientation === 'number' && orientation >= 1 && orientation <= 8 ? orientation : null,
  };
}
