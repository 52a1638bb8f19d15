// XMP sidecars for the tags export: the categories go into both dc:subject and
// lr:hierarchicalSubject (darktable reads only the latter, Immich and digiKam either), as
// rdf:Bag items. An existing sidecar keeps everything it has; only the missing subjects are
// added, so merging twice gives the same bytes as merging once (a resumed export relies on it).
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { childElements, parseXml, XMP_NS } from '../xmp-document.js';

const NS = XMP_NS;

/** The properties written, each with the prefix used when the sidecar has none bound to it. */
const PROPERTIES = [
  { ns: NS.dc, prefix: 'dc', local: 'subject' },
  { ns: NS.lr, prefix: 'lr', local: 'hierarchicalSubject' },
] as const;

// Adobe's packet wrapper; the begin attribute is a byte-order mark by the XMP specification.
const EMPTY_SIDECAR = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Shoebox">
 <rdf:RDF xmlns:rdf="${NS.rdf}">
  <rdf:Description rdf:about="" xmlns:dc="${NS.dc}" xmlns:lr="${NS.lr}">
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;

/** A sidecar that cannot be read as XMP; the message says why. */
export class XmpError extends Error {
  override name = 'XmpError';
}

/**
 * The sidecar with `subjects` added (a new one when `existing` is null). `changed` is false when
 * every subject was there already. Throws XmpError when `existing` is not XML or has no rdf:RDF.
 */
export function mergeSubjects(existing: string | null, subjects: readonly string[]): { text: string; changed: boolean } {
  const doc = parseXml(existing ?? EMPTY_SIDECAR, (message) => new XmpError(message));
  const rdf = doc.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  if (!rdf) throw new XmpError('it has no rdf:RDF element');
  let changed = false;
  for (const property of PROPERTIES) {
    const bag = bagOf(doc, rdf, property);
    const present = new Set(childElements(bag, NS.rdf, 'li').map((li) => li.textContent ?? ''));
    for (const subject of subjects) {
      if (present.has(subject)) continue;
      const li = doc.createElementNS(NS.rdf, prefixed(bag, NS.rdf, 'li'));
      li.appendChild(doc.createTextNode(subject));
      bag.appendChild(li);
      present.add(subject);
      changed = true;
    }
  }
  const text = new XMLSerializer().serializeToString(doc);
  return { text, changed };
}

/** The rdf:Bag (or rdf:Seq / rdf:Alt) of a property, created in the first rdf:Description when absent. */
function bagOf(doc: Document, rdf: Element, property: (typeof PROPERTIES)[number]): Element {
  const descriptions = childElements(rdf, NS.rdf, 'Description');
  for (const description of descriptions) {
    const element = childElements(description, property.ns, property.local)[0];
    if (!element) continue;
    const container = [...childElements(element, NS.rdf, 'Bag'), ...childElements(element, NS.rdf, 'Seq'), ...childElements(element, NS.rdf, 'Alt')][0];
    if (container) return container;
    const bag = doc.createElementNS(NS.rdf, prefixed(element, NS.rdf, 'Bag'));
    element.appendChild(bag);
    return bag;
  }
  let description = descriptions[0];
  if (!description) {
    description = doc.createElementNS(NS.rdf, prefixed(rdf, NS.rdf, 'Description'));
    description.setAttributeNS(NS.rdf, prefixed(rdf, NS.rdf, 'about'), '');
    rdf.appendChild(description);
  }
  const element = doc.createElementNS(property.ns, bindPrefix(description, property.ns, property.prefix) + `:${property.local}`);
  const bag = doc.createElementNS(NS.rdf, prefixed(description, NS.rdf, 'Bag'));
  element.appendChild(bag);
  description.appendChild(element);
  return bag;
}

/** `local` with the prefix bound to `ns` where `at` is (rdf's is always bound inside rdf:RDF). */
function prefixed(at: Element, ns: string, local: string): string {
  const prefix = at.lookupPrefix(ns);
  return prefix ? `${prefix}:${local}` : local;
}

/** The prefix bound to `ns` at `at`, declaring `wanted` (or wanted2, wanted3 … if taken) when none is. */
function bindPrefix(at: Element, ns: string, wanted: string): string {
  const bound = at.lookupPrefix(ns);
  if (bound) return bound;
  let prefix = wanted;
  for (let n = 2; at.lookupNamespaceURI(prefix) !== null; n++) prefix = `${wanted}${n}`;
  at.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns);
  return prefix;
}

