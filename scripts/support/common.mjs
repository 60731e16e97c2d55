// Shared helpers of the set-up scripts: paths, step logging, child processes, input hashes and stamps.
// Plain Node built-ins only: these scripts run before `npm install`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setInterval, clearInterval, setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Per-checkout state: stamps and logs. */
export const STATE_DIR = path.join(ROOT, '.cache');
/** Large downloads and built artefacts that other checkouts may share (the TensorFlow wheel, native bindings). */
export const SHARED_CACHE_DIR = path.resolve(process.env.NNMOTIFS_CACHE_DIR || STATE_DIR);
export const LOG_DIR = path.join(STATE_DIR, 'logs');
export const STAMP_DIR = path.join(STATE_DIR, 'stamps');

const BOLD = process.stdout.isTTY ? '\x1b[1m' : '';
const YELLOW = process.stdout.isTTY ? '\x1b[33m' : '';
const RED = process.stdout.isTTY ? '\x1b[31m' : '';
const RESET = process.stdout.isTTY ? '\x1b[0m' : '';

export function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function info(message) {
  console.log(`    ${message}`);
}

/** A warning nobody can miss: used when the set-up degrades instead of failing. */
export function loudWarning(lines) {
  const bar = '!'.repeat(100);
  console.log(`\n${YELLOW}${BOLD}${bar}`);
  for (const line of lines) console.log(`!!  ${line}`);
  console.log(`${bar}${RESET}\n`);
}

export class SetupError extends Error {}

/** Runs numbered steps, printing "[setup 3/8] Building TypeScript … done in 12 s". */
export class Steps {
  constructor(prefix, total) {
    this.prefix = prefix;
    this.total = total;
    this.index = 0;
  }

  async run(title, fn) {
    this.index += 1;
    const label = `[${this.prefix} ${this.index}/${this.total}] ${title}`;
    console.log(`${BOLD}${label} …${RESET}`);
    const started = Date.now();
    try {
      const outcome = await fn();
      const took = seconds(Date.now() - started);
      console.log(`${label}: ${outcome || 'done'} (${took})`);
      return outcome;
    } catch (error) {
      console.log(`${RED}${BOLD}${label}: FAILED after ${seconds(Date.now() - started)}${RESET}`);
      throw error;
    }
  }
}

/**
 * Runs a command. Output goes to a log file under .cache/logs (and to the terminal with `stream`); on failure
 * the tail of the log is printed. A heartbeat line every 30 s shows that long quiet steps are alive.
 * Resolves to {code, output, timedOut}; rejects only when `check` is set and the command fails.
 */
// Children run in their own process group (so a timeout can kill a whole tree); Ctrl+C must reach them too.
const activeChildren = new Set();
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
let signalsHandled = false;
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const child of activeChildren) killGroup(child, 'SIGTERM');
      process.exit(130);
    });
  }
}

export function run(command, args, options = {}) {
  const {
    cwd = ROOT,
    env = process.env,
    logName,
    stream = process.env.NNMOTIFS_VERBOSE === '1',
    check = true,
    timeoutMs = 0,
    quiet = false
  } = options;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${logName || path.basename(command)}.log`);
  const log = fs.createWriteStream(logFile);
  log.write(`$ ${[command, ...args].join(' ')}\n(cwd ${cwd})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    activeChildren.add(child);
    handleSignals();
    let output = '';
    const collect = chunk => {
      const text = chunk.toString();
      output += text;
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
      log.write(text);
      if (stream) process.stdout.write(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const started = Date.now();
    const heartbeat = setInterval(() => {
      if (!stream && !quiet)
        info(`… still running (${seconds(Date.now() - started)}), log: ${relative(logFile)}`);
    }, 30_000);
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killGroup(child, 'SIGKILL');
          }, timeoutMs)
        : undefined;
    const finish = (code, error) => {
      activeChildren.delete(child);
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      log.end();
      if (error || code !== 0) {
        const why = error
          ? error.message
          : timedOut
            ? `timed out after ${seconds(timeoutMs)}`
            : `exit code ${code}`;
        if (check) {
          if (!stream) {
            const tail = output.trimEnd().split('\n').slice(-40).join('\n');
            console.log(tail.replace(/^/gm, '    | '));
          }
          reject(
            new SetupError(`${command} ${args.join(' ')} failed (${why}); full log: ${relative(logFile)}`)
          );
          return;
        }
      }
      resolve({ code: error ? -1 : code, output, timedOut, logFile });
    };
    child.on('error', error => finish(-1, error));
    child.on('close', code => finish(code ?? -1));
  });
}

export function relative(file) {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel || '.';
}

/** Environment for child processes with the Python environment's bin directory first on PATH. */
export function envWithPath(binDir, extra = {}) {
  return { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH || ''}`, ...extra };
}

function listFiles(target, out) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    out.push([target, null]);
    return;
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(target).sort()) {
      if (name === 'node_modules' || name === '__pycache__' || name === '.ipynb_checkpoints') continue;
      listFiles(path.join(target, name), out);
    }
  } else {
    out.push([target, stat]);
  }
}

/** sha256 over the relative names and contents of the given files and folders (missing ones count too). */
export function hashInputs(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    if (input.startsWith('literal:')) {
      hash.update(`${input}\0`);
      continue;
    }
    const files = [];
    listFiles(path.resolve(ROOT, input), files);
    for (const [file, stat] of files) {
      hash.update(`${path.relative(ROOT, file)}\0`);
      hash.update(stat ? fs.readFileSync(file) : 'missing');
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** A stamp records the input hash a step last completed with; equal hash and present outputs = skip. */
export function stampMatches(name, hash) {
  try {
    return fs.readFileSync(path.join(STAMP_DIR, name), 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

export function writeStamp(name, hash) {
  fs.mkdirSync(STAMP_DIR, { recursive: true });
  fs.writeFileSync(path.join(STAMP_DIR, name), `${hash}\n`);
}

export function clearStamp(name) {
  fs.rmSync(path.join(STAMP_DIR, name), { force: true });
}

export function exists(file) {
  return fs.existsSync(file);
}
