// Every CLI command, in the order the usage lists them.
import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { modelsCommand } from './models.js';
import { errorsCommand, indexCommand, rootsCommand, statusCommand } from './library.js';
import { searchCommand, similarCommand } from './search.js';

export const COMMANDS: readonly Command[] = [indexCommand, searchCommand, similarCommand, statusCommand, errorsCommand, rootsCommand, modelsCommand, demoCommand];
