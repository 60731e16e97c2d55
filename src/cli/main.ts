#!/usr/bin/env node
/**
 * The `nnmotifs` command: CNT metrics, motif census with Z-scores, and PA rewiring of network files.
 * Each subcommand is an entry of the table in `commands/index.ts` that declares its own options
 * (`command.ts`); this file only dispatches and prints the help.
 *
 * Exit codes: 0 success, 2 bad input (usage, missing or malformed file; the message names the file, the
 * layer and the problem), 1 anything else.
 */
import { NetworkError } from '../core/validate';
import { type CliIO, type Command, InputError, optionsHelp, parseCommandArgs } from './command';
import { COMMANDS } from './commands/index';

export type { CliIO, Command } from './command';

const processIO: CliIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true
};

const FILE_HELP = `FILE is a network: an nnmotifs network file (JSON, format "nnmotifs.network"), a TF.js/Keras
model.json, a PyTorch state_dict saved as .safetensors or .npz, a PyTorch checkpoint (.pt, .pth,
.bin, .ckpt; torch.save, legacy or TorchScript; read as data, never run), an ONNX model (.onnx), or a
Keras model (.keras, .h5, .weights.h5). OUT is always an nnmotifs network file.`;

/** `prefix` + the synopsis of `command`, continuation lines aligned under its first argument. */
function synopsisLine(prefix: string, command: Command): string {
  const head = `${prefix}nnmotifs ${command.name} `;
  return head + command.synopsis.split('\n').join(`\n${' '.repeat(head.length)}`);
}

/** The help of one subcommand (`nnmotifs <name> --help`). */
export function commandUsage(command: Command): string {
  const options = optionsHelp(command);
  return (
    `${synopsisLine('Usage: ', command)}\n\n${command.summary}\n` +
    (command.details === undefined ? '' : `\n${command.details}\n`) +
    (options === '' ? '' : `\n${command.name} options:\n${options}\n`)
  );
}

/** The `--help` text, generated from the command table. */
export function usage(commands: readonly Command[] = COMMANDS): string {
  const lines = commands.map(c => synopsisLine('  ', c));
  const sections = commands
    .filter(c => Object.values(c.options).some(o => o.deprecatedFor === undefined))
    .map(c => `${c.name} options:\n${optionsHelp(c)}\n`);
  return (
    `nnmotifs — network science for neural networks\n\nUsage:\n${lines.join('\n')}\n` +
    `  nnmotifs help [COMMAND]\n\n${FILE_HELP}\n\n${sections.join('\n')}`
  );
}

/** The `--help` text. */
export const USAGE = usage();

/**
 * Runs the CLI with the arguments after `nnmotifs` and returns the exit code.
 *
 * @param argv - arguments, e.g. `['motifs', 'net.json', '--json']`.
 * @param io - output streams (default: the process's).
 * @param commands - the subcommand table (default: every command of `nnmotifs`).
 */
export async function main(
  argv: readonly string[],
  io: CliIO = processIO,
  commands: readonly Command[] = COMMANDS
): Promise<number> {
  let notes: readonly string[] = [];
  const printNotes = (): void => {
    for (const note of notes) io.stderr(`nnmotifs: ${note}\n`);
  };
  try {
    const [name, ...rest] = argv;
    if (name === undefined) throw new InputError('missing command', true);
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = commands.find(c => c.name === rest[0]);
      io.stdout(topic === undefined ? usage(commands) : commandUsage(topic));
      return 0;
    }
    const command = commands.find(c => c.name === name);
    if (command === undefined) {
      throw new InputError(
        name.startsWith('-') ? `unknown option ${name}` : `unknown command '${name}'`,
        true
      );
    }
    const args = parseCommandArgs(command, rest);
    notes = args.notes ?? [];
    if (args.values.help === true) {
      io.stdout(commandUsage(command));
      return 0;
    }
    const code = await command.run(args, io);
    printNotes();
    if (typeof code === 'number') return code;
    return 0;
  } catch (err) {
    if (err instanceof InputError || err instanceof NetworkError) {
      const hint = err instanceof InputError && err.usage ? 'Try nnmotifs --help\n' : '';
      io.stderr(`nnmotifs: ${err.message}\n${hint}`);
      return 2;
    }
    // Not bad input: a bug or the machine (memory, disk). One line for users; the stack on request.
    printNotes();
    const debug = typeof process !== 'undefined' && process.env.NNMOTIFS_DEBUG === '1';
    const text = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
    io.stderr(
      `nnmotifs: internal error: ${debug ? text : text.split('\n')[0]}` +
        `${debug ? '' : ' (set NNMOTIFS_DEBUG=1 for details)'}\n`
    );
    return 1;
  }
}

if (require.main === module) {
  // `nnmotifs ... | head` closes stdout early: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    code => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`nnmotifs: ${String(err)}\n`);
      process.exitCode = 1;
    }
  );
}
