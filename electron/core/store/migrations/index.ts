// All schema migrations in order. Append new ones; never edit one that has shipped.
import { migration001 } from './001_initial.js';
import { migration002 } from './002_grid_index.js';
import { migration003 } from './003_sorting.js';
import { migration004 } from './004_export_journal.js';
import { migration005 } from './005_finetune.js';
import { migration006 } from './006_timeline.js';
import type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];
