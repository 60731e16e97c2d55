/**
 * What every `nnmotifs` subcommand is made of: a name, a one-line summary, a synopsis, the options it
 * declares (parsed by `node:util` `parseArgs`, strict) and a `run` function. `main.ts` dispatches over the
 * table in `commands/index.ts`; the help text is generated from the same declarations.
 */
import { parseArgs } from 'node:util';

/** Where the CLI writes; replaceable in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown on a terminal or with `--progress`). */
  readonly stderrIsTTY: boolean;
}

/** Bad input (usage, arguments, files): printed as one line without a stack trace, exit code 2. */
export class InputError extends Error {
  /** Whether to add "Try nnmotifs --help" (usage errors, not file errors). */
  readonly usage: boolean;
  constructor(message: string, usage = false) {
    super(message);
    this.name = 'InputError';
    this.usage = usage;
  }
}

/** One option of a subcommand. */
export interface OptionSpec {
  /** `'string'` takes a value (`--seed 3` or `--seed=3`), `'boolean'` is a flag. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias, e.g. `'o'` for `-o`. */
  readonly short?: string;
  /** Placeholder of the value in the help text, e.g. `'N'`. */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
  /**
   * Set on an old option name: the name of the option that replaces it. The value is passed on under the
   * new name; errors about it name the option as typed, and a one-line deprecation note goes to stderr
   * once the command has run (not when it stops on bad input: then the error is the one line). Deprecated
   * options are not listed in the help.
   */
  readonly deprecatedFor?: string;
}

/** Parsed arguments of one subcommand (the subcommand name itself is not among the positionals). */
export interface CommandArgs {
  readonly positionals: readonly string[];
  /** Option values by option name (without dashes); flags are `true`, absent options `undefined`. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Options given under a deprecated name: the name typed, by the name it stands for. */
  readonly typed?: Readonly<Record<string, string>>;
  /** Deprecation notes (one line each) for the caller to print once the command has run. */
  readonly notes?: readonly string[];
}

/** The option as the user typed it (`--nulls` for `samples` given as `--nulls`). */
export function typedName(args: CommandArgs, name: string): string {
  return `--${args.typed?.[name] ?? name}`;
}

/** A subcommand: `nnmotifs <name> ...`. */
export interface Command {
  /** The word after `nnmotifs`. */
  readonly name: string;
  /** Arguments after the name, for the usage line, e.g. `'FILE [--json]'`. */
  readonly synopsis: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** Extra help text shown by `nnmotifs <name> --help` (optional). */
  readonly details?: string;
  /** The options the command accepts (`--help` is added to every command). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /**
   * Runs the command; throw {@link InputError} for bad input. Resolves to the exit code, or to nothing
   * for 0.
   */
  readonly run: (args: CommandArgs, io: CliIO) => Promise<number | void>;
}

/** `parseArgs` error codes of Node 20+ (`ERR_PARSE_ARGS_*`), mapped to one-line messages. */
function parseError(err: unknown): InputError {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  const name = quoted.split(/[ ,<]/)[0];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new InputError(`unknown option ${name}`, true);
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing/.test(e.message ?? '')
      ? new InputError(`${name} needs a value`, true)
      : new InputError(`${name} does not take a value`, true);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return new InputError(`unexpected argument ${quoted}`, true);
  return new InputError(String(e.message ?? err), true);
}

/**
 * Parses the arguments of `command` (strict: unknown options are errors). Deprecated option names are
 * renamed to their replacements, with a note on `io.stderr`.
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): CommandArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' }
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  // `--seed -5`: parseArgs refuses a value that starts with a dash as ambiguous; a negative number after
  // an option that takes a value is that value (as in `--seed=-5`).
  const takesValue = (arg: string): string | undefined => {
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    const name =
      long ??
      Object.keys(options).find(n => arg.length === 2 && arg[0] === '-' && options[n].short === arg[1]);
    return name !== undefined && options[name]?.type === 'string' ? name : undefined;
  };
  const args: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const name = takesValue(argv[k]);
    if (name !== undefined && k + 1 < argv.length && /^-\d/.test(argv[k + 1])) {
      args.push(`--${name}=${argv[++k]}`);
    } else args.push(argv[k]);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw parseError(err);
  }
  const values: Record<string, string | boolean | undefined> = { ...parsed.values } as Record<
    string,
    string | boolean | undefined
  >;
  const typed: Record<string, string> = {};
  const notes: string[] = [];
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.deprecatedFor === undefined || values[name] === undefined) continue;
    notes.push(`--${name} is deprecated, use --${spec.deprecatedFor}`);
    if (values[spec.deprecatedFor] === undefined) {
      values[spec.deprecatedFor] = values[name];
      typed[spec.deprecatedFor] = name;
    }
    delete values[name];
  }
  return { positionals: parsed.positionals, values, typed, notes };
}

/** The value of a string option, or `undefined`. */
export function stringOption(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a flag was given. */
export function flag(args: CommandArgs, name: string): boolean {
  return args.values[name] === true;
}

/**
 * An integer option in [`min`, `max`], or `fallback` when absent. Only plain digits are accepted (`1e9`,
 * `0x10`, `''` and `2.5` are refused: `Number()` would accept some of them).
 */
export function intOption(
  args: CommandArgs,
  name: string,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER
): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = /^\s*[+-]?\d{1,16}\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`${typedName(args, name)} must be a whole number from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** One of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(
  args: CommandArgs,
  name: string,
  choices: readonly T[],
  fallback: T
): T {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v))
    throw new InputError(`${typedName(args, name)} must be one of ${choices.join(', ')}, got '${v}'`);
  return v as T;
}

/** The help lines of a command's options (deprecated names left out). */
export function optionsHelp(command: Command): string {
  const rows = Object.entries(command.options)
    .filter(([, spec]) => spec.deprecatedFor === undefined)
    .map(([name, spec]) => {
      const names = `${spec.short === undefined ? '' : `-${spec.short}, `}--${name}`;
      return [spec.value === undefined ? names : `${names} ${spec.value}`, spec.help] as const;
    });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}
