// A query being typed: the part of it that can be searched already ("beach +" is "beach").
/** The part of a query being typed that is complete: without a trailing operator, weight or unclosed quote. */
export function completePart(text: string): string {
  let rest = text;
  const quotes = (rest.match(/["\u201c\u201d\u201e]/g) ?? []).length;
  if (quotes % 2 === 1) rest = rest.slice(0, Math.max(rest.lastIndexOf('"'), rest.lastIndexOf('\u201c'), rest.lastIndexOf('\u201e')));
  for (;;) {
    const trimmed = rest.replace(/(?:\s[-+]|^[-+]|\+|(?:\d+\.?\d*|\.\d+):)\s*$/, '');
    if (trimmed === rest) return rest;
    rest = trimmed;
  }
}
