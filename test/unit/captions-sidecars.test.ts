// The caption parsers: .txt bytes (encodings, BOM, binary, length), XMP dc:description (x-default
// first, other languages, malformed XML), the photo's own metadata (precedence, camera filler,
// IPTC's UTF-8), sidecar names and the finder's letter-case matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CaptionFileError,
  decodeCaptionText,
  embeddedCaption,
  isCameraFiller,
  MAX_CAPTION_CHARS,
  normaliseCaption,
  readCaption,
  readTxtSidecar,
  SidecarFinder,
  sidecarNames,
  xmpDescription,
} from '../../electron/core/captions/sidecars.js';
import { formatCaptions, formatOfFile } from '../../electron/core/captions/export.js';
import { tempDir } from '../support/temp-dir.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

test('a .txt caption: UTF-8 with or without BOM, UTF-16 with BOM, white space made one line', () => {
  assert.equal(decodeCaptionText(utf8('  a dog on a beach\r\n'), 'a.txt'), 'a dog on a beach');
  assert.equal(decodeCaptionText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('café au lait')]), 'a.txt'), 'café au lait');
  assert.equal(decodeCaptionText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('chat noir', 'utf16le')]), 'a.txt'), 'chat noir');
  const be = Buffer.from('Hund', 'utf16le').swap16();
  assert.equal(decodeCaptionText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'a.txt'), 'Hund');
  assert.equal(decodeCaptionText(utf8('two\nlines\t\tand  tabs'), 'a.txt'), 'two lines and tabs');
  assert.equal(decodeCaptionText(utf8('夕日と海'), 'a.txt'), '夕日と海');
  assert.equal(decodeCaptionText(utf8(' \n\t '), 'a.txt'), null, 'blank is no caption');
  assert.equal(decodeCaptionText(new Uint8Array(0), 'a.txt'), null);
});

test('a binary or too long .txt is an error naming the file', () => {
  const bad = (bytes: Uint8Array, pattern: RegExp): void => {
    assert.throws(
      () => decodeCaptionText(bytes, '/p/IMG_1.txt'),
      (err: unknown) => err instanceof CaptionFileError && err.path === '/p/IMG_1.txt' && pattern.test(err.reason) && err.message.startsWith('/p/IMG_1.txt: '),
    );
  };
  bad(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /not a text file/);
  bad(Buffer.from([0x61, 0xc3, 0x28]), /not UTF-8/);
  bad(utf8('text\u0000with a NUL'), /binary/);
  bad(utf8('x'.repeat(MAX_CAPTION_CHARS + 1)), /too long \(2,001 characters; at most 2,000\)/);
  assert.equal(decodeCaptionText(utf8('x'.repeat(MAX_CAPTION_CHARS)), 'a.txt')?.length, MAX_CAPTION_CHARS);
});

test('a huge .txt is refused by its size before it is read', async (t) => {
  const dir = await tempDir(t, 'shoebox-captions-unit-');
  const file = path.join(dir, 'IMG_1.txt');
  await writeFile(file, Buffer.alloc(1024 * 1024, 0x61));
  await assert.rejects(readTxtSidecar(file), (err: unknown) => err instanceof CaptionFileError && /too big for a caption file \(1,048,576 bytes/.test(err.reason));
  await assert.rejects(readTxtSidecar(path.join(dir, 'gone.txt')), (err: unknown) => err instanceof CaptionFileError && /cannot be read/.test(err.reason));
});

const DC = 'http://purl.org/dc/elements/1.1/';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const packet = (inner: string, extraNs = ''): string =>
  `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}">` +
  `<rdf:Description rdf:about="" xmlns:dc="${DC}"${extraNs}>${inner}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

test('XMP dc:description: the x-default entry, else the first; entities decoded', () => {
  const alt = (...lis: string[]): string => packet(`<dc:description><rdf:Alt>${lis.join('')}</rdf:Alt></dc:description>`);
  assert.equal(xmpDescription(alt('<rdf:li xml:lang="de-DE">Ein Hund</rdf:li>', '<rdf:li xml:lang="x-default">A dog &amp; a ball</rdf:li>')), 'A dog & a ball');
  assert.equal(xmpDescription(alt('<rdf:li xml:lang="fr">Un chien</rdf:li>', '<rdf:li xml:lang="de">Ein Hund</rdf:li>')), 'Un chien');
  assert.equal(xmpDescription(alt('<rdf:li xml:lang="x-default">  </rdf:li>', '<rdf:li xml:lang="de">Ein Hund</rdf:li>')), 'Ein Hund', 'a blank x-default is skipped');
  assert.equal(xmpDescription(packet('<dc:description>plain value</dc:description>')), 'plain value');
  assert.equal(xmpDescription(packet('<dc:subject><rdf:Bag><rdf:li>beach</rdf:li></rdf:Bag></dc:subject>')), null);
  // Another prefix bound to the same namespace, and the attribute form.
  assert.equal(
    xmpDescription(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><r:RDF xmlns:r="${RDF}"><r:Description xmlns:d="${DC}" d:description="as an attribute"/></r:RDF></x:xmpmeta>`),
    'as an attribute',
  );
});

test('XMP that is not XML is an error saying why', () => {
  assert.throws(() => xmpDescription('<x:xmpmeta><rdf:RDF>'), /not valid XML/);
  assert.throws(() => xmpDescription('\u0000\u0001 binary'), /not valid XML/);
});

test("the photo's own metadata: embedded XMP, IPTC, ImageDescription, XPComment, camera filler skipped", () => {
  const xmp = packet('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">from XMP</rdf:li></rdf:Alt></dc:description>');
  assert.equal(embeddedCaption({ xmp, iptcCaption: 'from IPTC', ImageDescription: 'from EXIF' }), 'from XMP');
  assert.equal(embeddedCaption({ xmp: '<broken', iptcCaption: 'from IPTC', ImageDescription: 'from EXIF' }), 'from IPTC');
  // exifr gives IPTC bytes as Latin-1: UTF-8 text is recovered, real Latin-1 is kept.
  assert.equal(embeddedCaption({ iptcCaption: Buffer.from('Köln', 'utf8').toString('latin1') }), 'Köln');
  assert.equal(embeddedCaption({ iptcCaption: Buffer.from('Köln', 'latin1').toString('latin1') }), 'Köln');
  assert.equal(embeddedCaption({ ImageDescription: 'OLYMPUS DIGITAL CAMERA         ', XPComment: 'a red kite' }), 'a red kite');
  assert.equal(embeddedCaption({ ImageDescription: 'SONY DSC' }), null);
  assert.equal(embeddedCaption({ ImageDescription: '   ' }), null);
  assert.equal(embeddedCaption({ ImageDescription: 42 }), null);
  assert.ok(isCameraFiller('KONICA MINOLTA DIGITAL CAMERA'));
  assert.ok(isCameraFiller('...'));
  assert.ok(!isCameraFiller('my new digital camera on the table'));
  assert.ok(!isCameraFiller('夕日'));
});

test('normalised captions: control characters dropped, one line', () => {
  assert.equal(normaliseCaption('\u0007 a\u0000b \r\n c\u00a0d '), 'ab c d');
});

test('sidecar names: IMG_1.jpg → IMG_1.txt, IMG_1.jpg.xmp then IMG_1.xmp', () => {
  assert.deepEqual(sidecarNames('/p/IMG_1.jpg'), { txt: 'IMG_1.txt', xmp: ['IMG_1.jpg.xmp', 'IMG_1.xmp'] });
  assert.deepEqual(sidecarNames('/p/holiday.2021.png'), { txt: 'holiday.2021.txt', xmp: ['holiday.2021.png.xmp', 'holiday.2021.xmp'] });
});

test('the finder matches names exactly, else ignoring case; precedence txt > xmp', async (t) => {
  const dir = await tempDir(t, 'shoebox-captions-finder-');
  await mkdir(path.join(dir, 'a'));
  await writeFile(path.join(dir, 'a', 'IMG_1.TXT'), 'upper case txt');
  await writeFile(path.join(dir, 'a', 'IMG_1.xmp'), packet('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">lightroom</rdf:li></rdf:Alt></dc:description>'));
  await writeFile(path.join(dir, 'a', 'IMG_2.JPG.xmp'), packet('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">digikam</rdf:li></rdf:Alt></dc:description>'));
  await writeFile(path.join(dir, 'a', 'IMG_2.xmp'), packet('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">lightroom 2</rdf:li></rdf:Alt></dc:description>'));
  await writeFile(path.join(dir, 'a', 'IMG_3.txt'), Buffer.from([0, 1, 2, 3]));
  await writeFile(path.join(dir, 'a', 'IMG_3.jpg.xmp'), 'not xml at all');
  await writeFile(path.join(dir, 'a', 'IMG_3.xmp'), packet('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">third</rdf:li></rdf:Alt></dc:description>'));
  const finder = new SidecarFinder();
  const one = await finder.find(path.join(dir, 'a', 'IMG_1.JPG'));
  assert.equal(one.txt, path.join(dir, 'a', 'IMG_1.TXT'));
  assert.deepEqual(one.xmp, [path.join(dir, 'a', 'IMG_1.xmp')]);
  assert.deepEqual(await finder.find(path.join(dir, 'nowhere', 'x.jpg')), { txt: null, xmp: [] });

  assert.deepEqual((await readCaption(path.join(dir, 'a', 'IMG_1.JPG'), finder, { embedded: false })).caption, { text: 'upper case txt', source: 'txt' });
  assert.deepEqual((await readCaption(path.join(dir, 'a', 'IMG_2.JPG'), finder, { embedded: false })).caption, { text: 'digikam', source: 'xmp' });
  // A bad .txt and a bad photo.jpg.xmp are each reported; the next source gives the caption.
  const third = await readCaption(path.join(dir, 'a', 'IMG_3.jpg'), finder, { embedded: false });
  assert.deepEqual(third.caption, { text: 'third', source: 'xmp' });
  assert.deepEqual(
    third.problems.map((p) => [path.basename(p.path), /not a text file|not valid XML/.test(p.reason)]),
    [['IMG_3.txt', true], ['IMG_3.jpg.xmp', true]],
  );
});

test('export formats: CSV quoting and JSON lines; the format from the file name', () => {
  const items = [
    { photoId: 1, path: '/p/a.jpg', text: 'plain', source: 'user' as const },
    { photoId: 2, path: '/p/b, c.jpg', text: 'say "cheese"', source: 'txt' as const },
  ];
  assert.equal(formatCaptions(items, 'csv'), 'path,caption,source\r\n/p/a.jpg,plain,user\r\n"/p/b, c.jpg","say ""cheese""",txt\r\n');
  assert.deepEqual(
    formatCaptions(items, 'jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown),
    [
      { path: '/p/a.jpg', caption: 'plain', source: 'user' },
      { path: '/p/b, c.jpg', caption: 'say "cheese"', source: 'txt' },
    ],
  );
  assert.equal(formatOfFile('/x/captions.CSV'), 'csv');
  assert.equal(formatOfFile('/x/captions.jsonl'), 'jsonl');
  assert.equal(formatOfFile('/x/captions.txt'), null);
});
