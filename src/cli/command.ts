/**
 * The one entry of every operator command (`npm run dr | report | deploy:plan | synth:diff |
 * stack:vars`), so their conventions cannot drift:
 *
 * - `--help` (or `-h`) prints the usage on stdout and exits 0, without running anything;
 * - exit 0 on success, 1 on a failure or an unhealthy result, 2 on a usage error (the message and
 *   the usage on stderr);
 * - user mistakes and refusals (ConfigError, {@link CommandError}, the command's own `userErrors`)
 *   print their message only, no stack trace; anything else is a bug and keeps its stack trace;
 * - AWS errors say whether anything reached AWS: missing credentials ("nothing was sent to AWS")
 *   apart from a call AWS refused (./aws-errors.ts);
 * - data goes to stdout, progress and errors to stderr, so `--json` output pipes cleanly.
 *
 * Arguments are parsed by commander (pinned in package.json); a command is declared as data
 * ({@link CommandSpec}) so test/commands.test.ts can check every option against the usage.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/errors';
import { describeAwsError } from './aws-errors';

/** A usage mistake found after parsing (a value out of range, a missing combination): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A refusal or failure the user can act on: the message names the next step. Exit 1, no stack trace. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export type OptionValue = string | boolean | readonly string[] | undefined;

export interface OptionSpec {
  /** Commander flags: `--json`, `--outdir <dir>`, `--env <name>`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
  readonly choices?: readonly string[];
  /** The option may be given several times; its value is the list (undefined when absent). */
  readonly repeatable?: boolean;
  /** Checks a value; throw UsageError to refuse it (reported as a usage error, exit 2). */
  readonly validate?: (value: string) => void;
}

export interface ArgumentSpec {
  /** As shown in the usage: `<base-ref>`, `<stack...>`, `[name]`. */
  readonly name: string;
  readonly description: string;
}

export interface CommandContext {
  /** Positional arguments in order; a variadic argument is spread. */
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly env: NodeJS.ProcessEnv;
  /** A line of data or result on stdout. */
  out(line: string): void;
  /** A line on stderr (warnings, notes). */
  err(line: string): void;
  /** A progress line on stderr, for operations that take a while. */
  progress(line: string): void;
}

export interface CommandSpec {
  /** The npm script (`report`) or, for a subcommand, its name (`status`). */
  readonly name: string;
  /** One line: what the command does. */
  readonly summary: string;
  readonly arguments?: readonly ArgumentSpec[];
  readonly options?: readonly OptionSpec[];
  readonly subcommands?: readonly CommandSpec[];
  /** Shown after the options: environment variables, exit status, examples. */
  readonly epilog?: string;
  /** What the AWS calls need, for the message when AWS refuses one: "a role allowed to ...". */
  readonly awsPermissions?: string;
  /** Domain errors that are user-facing (message only, exit 1), e.g. DrError. */
  readonly userErrors?: readonly (abstract new (...args: never[]) => Error)[];
  /** Returns the exit code (default 0). A command with subcommands may omit it. */
  readonly run?: (ctx: CommandContext) => number | void | Promise<number | void>;
}

export interface CommandIo {
  readonly env?: NodeJS.ProcessEnv;
  /** Raw writers (default: process.stdout / process.stderr). */
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface Selected {
  readonly spec: CommandSpec;
  readonly command: Command;
  readonly args: string[];
  readonly options: Record<string, OptionValue>;
}

function build(spec: CommandSpec, command: Command, select: (s: Selected) => void): void {
  command.description(spec.summary);
  for (const argument of spec.arguments ?? []) command.argument(argument.name, argument.description);
  for (const o of spec.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.choices) option.choices([...o.choices]);
    if (o.default !== undefined) option.default(o.default);
    const check = (value: string) => {
      try {
        o.validate?.(value);
      } catch (error) {
        if (error instanceof UsageError) throw new InvalidArgumentError(error.message);
        throw error;
      }
      return value;
    };
    if (o.repeatable)
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), check(value)]);
    else if (o.validate) option.argParser(check);
    command.addOption(option);
  }
  if (spec.epilog) command.addHelpText('after', `\n${spec.epilog}`);
  for (const sub of spec.subcommands ?? []) build(sub, command.command(sub.name), select);
  if (spec.run || !spec.subcommands?.length) {
    command.action((...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      const args = (self.processedArgs as unknown[]).flatMap((a) =>
        a === undefined ? [] : Array.isArray(a) ? (a as string[]) : [a as string],
      );
      select({ spec, command: self, args, options: self.opts() as Record<string, OptionValue> });
    });
  }
}

/** The commander program of a spec, with output going to the given writers. */
export function programOf(
  spec: CommandSpec,
  stdout: (text: string) => void = (t) => process.stdout.write(t),
  stderr: (text: string) => void = (t) => process.stderr.write(t),
  select: (s: Selected) => void = () => undefined,
): Command {
  const program = new Command(`npm run ${spec.name} --`)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: stdout, writeErr: stderr, outputError: (text, write) => write(text) });
  build(spec, program, select);
  return program;
}

/** The usage text `--help` prints (of a subcommand when `path` names one). */
export function usageOf(spec: CommandSpec, ...path: string[]): string {
  let command = programOf(spec);
  for (const name of path) {
    const sub = command.commands.find((c) => c.name() === name);
    if (!sub) throw new Error(`${spec.name} has no subcommand ${name}`);
    command = sub;
  }
  return command.helpInformation();
}

/** Parses `argv`, runs the selected command and returns its exit code; never exits the process. */
export async function runCommand(spec: CommandSpec, argv: readonly string[], io: CommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const env = io.env ?? process.env;
  let selected: Selected | undefined;
  const program = programOf(spec, stdout, stderr, (s) => {
    selected = s;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    // Commander already printed the message and the usage to stderr.
    return EXIT_USAGE;
  }
  if (!selected) return EXIT_USAGE;
  const { spec: chosen, command } = selected;
  const ctx: CommandContext = {
    args: selected.args,
    options: selected.options,
    env,
    out: (line) => stdout(`${line}\n`),
    err: (line) => stderr(`${line}\n`),
    progress: (line) => stderr(`${line}\n`),
  };
  try {
    const code = await chosen.run!(ctx);
    return code ?? EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`error: ${error.message}\n\n${command.helpInformation()}`);
      return EXIT_USAGE;
    }
    const userErrors = [...(spec.userErrors ?? []), ...(chosen.userErrors ?? [])];
    if (
      error instanceof ConfigError ||
      error instanceof CommandError ||
      userErrors.some((kind) => error instanceof kind)
    ) {
      stderr(`${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
    const aws = describeAwsError(error, chosen.awsPermissions ?? spec.awsPermissions);
    if (aws) {
      stderr(`${aws}\n`);
      return EXIT_FAILURE;
    }
    stderr(`${describeBug(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** An unexpected error with its stack trace, headed by its current name (set after construction too). */
function describeBug(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const head = `${error.name}: ${error.message}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames].join('\n');
}

/** The process entry: runs `spec` on the command line and sets the exit code. */
export function runMain(spec: CommandSpec, argv: readonly string[] = process.argv.slice(2)): void {
  runCommand(spec, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${describeBug(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
