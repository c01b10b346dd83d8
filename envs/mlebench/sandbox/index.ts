/**
 * Code-execution sandboxes for MLE-bench solutions: `local` (bubblewrap, the default) and `docker`
 * (dockerode), behind one `Sandbox` interface.
 *
 * @example
 * const sandbox = createSandbox('local');
 * const r = await sandbox.run([{ path: 'solution.py', content: code }], [DEFAULT_PYTHON, 'solution.py'],
 *   { wallSeconds: 300, memoryMb: 4096 }, { dataDir: { hostPath: dir, env: 'PUBLIC_RESOURCE_PATH' }, collect: ['submission.csv'] });
 * const feedback = describeSandboxFailure(r) ?? 'ran successfully';
 * await sandbox.close();
 */
import { UnknownIdError } from '../../../core/errors.js';
import { DockerSandbox, type DockerSandboxOptions } from './docker.js';
import { LocalSandbox, type LocalSandboxOptions } from './local.js';
import type { Sandbox } from './types.js';

export type { Sandbox, SandboxFile, SandboxLimits, SandboxResult, SandboxRunOptions } from './types.js';
export { describeSandboxFailure } from './describe.js';
export { DEFAULT_LIMITS, resolveLimits } from './limits.js';
export { BASE_ENV, DEFAULT_PYTHON, SANDBOX_DATADIR, SANDBOX_WORKDIR } from './env.js';
export { DEFAULT_IMAGE, DockerSandbox, type DockerSandboxOptions } from './docker.js';
export { findBwrap, LocalSandbox, type LocalSandboxOptions } from './local.js';

/** The sandbox kinds, for CLI/option validation. */
export const SANDBOX_KINDS = ['local', 'docker'] as const;
export type SandboxKind = (typeof SANDBOX_KINDS)[number];

/** Options by kind. */
export interface SandboxOptionsByKind {
  local: LocalSandboxOptions;
  docker: DockerSandboxOptions;
}

/**
 * Creates a sandbox of a kind. Throws `UnknownIdError` for an unknown kind and `SandboxError` when
 * the local kind has no bubblewrap (unless the unisolated opt-in is given).
 */
export function createSandbox<K extends SandboxKind>(kind: K, options: SandboxOptionsByKind[K] = {} as SandboxOptionsByKind[K]): Sandbox {
  switch (kind as SandboxKind) {
    case 'local':
      return new LocalSandbox(options as LocalSandboxOptions);
    case 'docker':
      return new DockerSandbox(options as DockerSandboxOptions);
    default:
      throw new UnknownIdError('sandbox kind', String(kind), SANDBOX_KINDS);
  }
}
