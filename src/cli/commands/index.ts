/**
 * The subcommands of `nnmotifs`, in the order the help lists them. To add one: write
 * `commands/<name>.ts` exporting a {@link Command} and add it to this array (one line).
 */
import type { Command } from '../command';
import { metricsCommand } from './metrics';
import { motifsCommand } from './motifs';
import { layersCommand } from './layers';
import { rewireCommand } from './rewire';
import { studyCommand, workerCommand } from './study';

export const COMMANDS: readonly Command[] = [
  metricsCommand,
  motifsCommand,
  rewireCommand,
  layersCommand,
  studyCommand,
  workerCommand
];
