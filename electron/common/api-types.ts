// The API's names and their input and output types, as every process and the renderer see them.
// Derived from the core's one API table (type-only: nothing of the core loads at run time), so
// a transport or the UI cannot drift from what the core accepts and answers.
export type { ApiInput, ApiName, ApiOutput } from '../core/api/table.js';
