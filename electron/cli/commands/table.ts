// Every CLI command, in the order the usage lists them.
import type { Command } from '../command.js';
import { captionCommand } from './caption.js';
import { categoriesCommand } from './categories.js';
import { demoCommand } from './demo.js';
import { finetuneCommand } from './finetune.js';
import { modelsCommand } from './models.js';
import { errorsCommand, indexCommand, rootsCommand, statusCommand } from './library.js';
import { searchCommand, similarCommand } from './search.js';
import { sortCommand } from './sort.js';

export const COMMANDS: readonly Command[] = [indexCommand, searchCommand, similarCommand, statusCommand, errorsCommand, rootsCommand, modelsCommand, categoriesCommand, sortCommand, captionCommand, finetuneCommand, demoCommand];
