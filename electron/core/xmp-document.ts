// Reading XMP packets as XML (@xmldom/xmldom), for the two rooms that touch sidecars: captions read
// dc:description (captions/sidecars.ts), the tags export merges dc:subject and
// lr:hierarchicalSubject (export/xmp.ts).
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export const XMP_NS = {
  xmlns: 'http://www.w3.org/2000/xmlns/',
  xml: 'http://www.w3.org/XML/1998/namespace',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
} as const;

/** Parses XML; a malformed packet throws `makeError("it is not valid XML (<the parser's first complaint>)")`. */
export function parseXml(text: string, makeError: (message: string) => Error): Document {
  let problem: string | null = null;
  const onError = (level: 'warning' | 'error' | 'fatalError', message: string): void => {
    if (level === 'warning') return;
    problem ??= message.split('\n')[0] ?? message;
    throw makeError(message);
  };
  try {
    return new DOMParser({ onError }).parseFromString(text, 'text/xml');
  } catch (err) {
    // xmldom wraps what onError throws: name the parser's own first complaint instead.
    throw makeError(`it is not valid XML (${problem ?? (err as Error).message.split('\n')[0]})`);
  }
}

/** The element children of `parent`, or only those with the namespace and local name given. */
export function childElements(parent: Element, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const element = node as Element;
    if (ns !== undefined && (element.namespaceURI !== ns || element.localName !== local)) continue;
    out.push(element);
  }
  return out;
}
