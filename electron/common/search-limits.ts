// Limits of text search that the core enforces and the app checks first, to say them plainly.

/** The longest search query, in characters. */
export const MAX_QUERY_CHARS = 1000;
