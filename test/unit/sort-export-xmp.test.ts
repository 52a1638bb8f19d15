// Merging categories into XMP sidecars: both properties written, everything else kept, the same
// bytes when merged twice, the sidecar's own prefixes and containers respected, bad XML refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { mergeSubjects, XmpError } from '../../electron/core/export/xmp.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const DC = 'http://purl.org/dc/elements/1.1/';
const LR = 'http://ns.adobe.com/lightroom/1.0/';

function values(xml: string, ns: string, local: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const property = doc.getElementsByTagNameNS(ns, local)[0];
  return property ? Array.from(property.getElementsByTagNameNS(RDF, 'li')).map((li) => li.textContent ?? '') : [];
}

test('a new sidecar holds the categories in dc:subject and lr:hierarchicalSubject; merging again changes nothing', () => {
  const first = mergeSubjects(null, ['Beach', 'Fish & <Chips>']);
  assert.equal(first.changed, true);
  assert.match(first.text, /^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
  assert.deepEqual(values(first.text, DC, 'subject'), ['Beach', 'Fish & <Chips>']);
  assert.deepEqual(values(first.text, LR, 'hierarchicalSubject'), ['Beach', 'Fish & <Chips>']);
  const again = mergeSubjects(first.text, ['Beach']);
  assert.deepEqual([again.changed, again.text], [false, first.text]);
  const more = mergeSubjects(first.text, ['Dogs']);
  assert.deepEqual(values(more.text, DC, 'subject'), ['Beach', 'Fish & <Chips>', 'Dogs']);
  assert.equal(mergeSubjects(more.text, ['Dogs', 'Beach']).text, more.text);
});

test("an existing sidecar keeps its content, its own prefixes and its rdf:Seq; a prefix bound elsewhere is not reused", () => {
  const existing = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <r:RDF xmlns:r="${RDF}">
  <r:Description r:about="" xmlns:dc="http://example.com/not-dublin-core/" xmlns:p="${DC}" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4">
   <p:subject><r:Seq><r:li>old</r:li></r:Seq></p:subject>
   <dc:thing>kept</dc:thing>
  </r:Description>
 </r:RDF>
</x:xmpmeta>`;
  const { text, changed } = mergeSubjects(existing, ['New']);
  assert.equal(changed, true);
  assert.deepEqual(values(text, DC, 'subject'), ['old', 'New']);
  assert.match(text, /<p:subject><r:Seq><r:li>old<\/r:li><r:li>New<\/r:li><\/r:Seq><\/p:subject>/);
  assert.match(text, /<dc:thing>kept<\/dc:thing>/);
  assert.match(text, /xmp:Rating="4"/);
  assert.match(text, new RegExp(`xmlns:lr="${LR.replace(/[./]/g, '\\$&')}"`));
  assert.deepEqual(values(text, LR, 'hierarchicalSubject'), ['New']);

  const clash = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}"><rdf:Description rdf:about="" xmlns:dc="http://example.com/other/"/></rdf:RDF></x:xmpmeta>`;
  const merged = mergeSubjects(clash, ['Tag']).text;
  assert.deepEqual(values(merged, DC, 'subject'), ['Tag']);
  assert.match(merged, /xmlns:dc2="http:\/\/purl\.org\/dc\/elements\/1\.1\/"/);
  assert.match(merged, /<dc2:subject>/);
});

test('a sidecar that is not XMP is refused with the reason', () => {
  assert.throws(() => mergeSubjects('not xml <', ['x']), (err: Error) => err instanceof XmpError && /not valid XML/.test(err.message));
  assert.throws(() => mergeSubjects('<a/>', ['x']), (err: Error) => err instanceof XmpError && /no rdf:RDF element/.test(err.message));
  assert.throws(() => mergeSubjects('', ['x']), XmpError);
});
