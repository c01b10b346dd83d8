/**
 * The environment and in-sandbox paths every run gets, shared by both sandboxes so a script sees
 * the same world locally and in Docker.
 */
import { ConfigError } from '../../../core/errors.js';
import type { SandboxRunOptions } from './types.js';

/** Debian's interpreter, the one with numpy/pandas/scikit-learn (the `python3` first on PATH may be another). */
export const DEFAULT_PYTHON = '/usr/bin/python3';
/** The working dir inside the sandbox (the command's cwd; the only writable place besides /tmp). */
export const SANDBOX_WORKDIR = '/workspace';
/** Where `SandboxRunOptions.dataDir` is mounted read-only inside the sandbox. */
export const SANDBOX_DATADIR = '/data';

/** What every run starts from; `opts.env` may override any of it. */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  HOME: '/tmp',
  USER: 'sandbox',
  LOGNAME: 'sandbox',
  // Unbuffered, so the output printed before a kill reaches the feedback.
  PYTHONUNBUFFERED: '1',
  PYTHONDONTWRITEBYTECODE: '1',
  // One BLAS/OpenMP thread: several sandboxes share few cores, and CPU time then tracks wall time.
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  MKL_NUM_THREADS: '1',
  MPLBACKEND: 'Agg',
  MPLCONFIGDIR: '/tmp',
});

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The run's environment: `BASE_ENV`, then `opts.env`, then the data dir variable (pointing at
 * `dataPath`, the data dir's path as the command sees it).
 */
export function sandboxEnv(opts: SandboxRunOptions, dataPath: string = SANDBOX_DATADIR): Record<string, string> {
  const env: Record<string, string> = { ...BASE_ENV };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!NAME.test(k)) throw new ConfigError(`sandbox env: variable name ${JSON.stringify(k)} is invalid; use letters, digits and _ (not starting with a digit).`);
    if (typeof v !== 'string' || v.includes('\0')) throw new ConfigError(`sandbox env.${k}: the value must be a string without NUL bytes.`);
    env[k] = v;
  }
  if (opts.dataDir) {
    if (!NAME.test(opts.dataDir.env)) {
      throw new ConfigError(`sandbox dataDir.env = ${JSON.stringify(opts.dataDir.env)} is not a valid variable name; use e.g. PUBLIC_RESOURCE_PATH.`);
    }
    env[opts.dataDir.env] = dataPath;
  }
  return env;
}

/** Checks a command: a non-empty list of strings without NUL bytes. */
export function checkCommand(command: readonly string[]): void {
  if (!Array.isArray(command) || command.length === 0) {
    throw new ConfigError(`sandbox command must be a non-empty array of strings, e.g. ['${DEFAULT_PYTHON}', 'solution.py'].`);
  }
  for (const [i, a] of command.entries()) {
    if (typeof a !== 'string' || a.includes('\0')) throw new ConfigError(`sandbox command[${i}] must be a string without NUL bytes.`);
  }
  if ((command[0] as string).length === 0) throw new ConfigError('sandbox command[0] is empty; name the program to run.');
}
