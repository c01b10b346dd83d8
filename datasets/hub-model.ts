/**
 * Downloads a model from the Hugging Face Hub into the cache on first use: the files a policy
 * needs (config, tokenizer, safetensors), each verified — LFS files by the sha256 the Hub lists,
 * small files by their git blob sha1 — with resume for the large ones.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { ConfigError } from '../core/errors.js';
import { DownloadError, downloadFiles, type DownloadProgress, type RemoteFile } from './download.js';
import { cacheDir } from './paths.js';

/** The model `exitgym eval` and `serve-model` use when none is given: small, Llama-family, instruct-tuned. */
export const DEFAULT_MODEL = 'HuggingFaceTB/SmolLM2-135M-Instruct';

/** The Hub (overridable for mirrors and tests). */
export function hubEndpoint(): string {
  return (process.env.EXITGYM_HF_ENDPOINT ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
}

interface TreeEntry {
  type: string;
  path: string;
  size: number;
  oid: string;
  lfs?: { oid: string; size: number };
}

const WANTED = /^(config\.json|generation_config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|chat_template\.jinja|model\.safetensors\.index\.json|[^/]*\.safetensors)$/;

/** Git's blob id of some content (what the Hub lists as `oid` for non-LFS files). */
export function gitBlobSha1(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Cache folder of a hub model. */
export function hubModelDir(id: string): string {
  return join(cacheDir(), 'models', id.replace('/', '--'));
}

/**
 * Makes sure a hub model is in the cache and returns its folder. Already-complete downloads are
 * not fetched again (a `.complete` marker is written last).
 *
 * @example
 * const dir = await ensureHubModel('HuggingFaceTB/SmolLM2-135M-Instruct');
 */
export async function ensureHubModel(id: string, opts: { revision?: string; onProgress?: (p: DownloadProgress) => void } = {}): Promise<string> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) throw new ConfigError(`"${id}" is not a Hugging Face model id (owner/name).`);
  const dir = hubModelDir(id);
  if (existsSync(join(dir, '.complete'))) return dir;
  const revision = opts.revision ?? 'main';
  const base = hubEndpoint();
  const treeUrl = `${base}/api/models/${id}/tree/${revision}`;
  let tree: TreeEntry[];
  try {
    const res = await fetch(treeUrl);
    if (!res.ok) throw new DownloadError(`GET ${treeUrl} answered HTTP ${res.status}; check the model id "${id}" (and HF_TOKEN for gated models).`);
    tree = (await res.json()) as TreeEntry[];
  } catch (e) {
    if (e instanceof DownloadError) throw e;
    throw new DownloadError(`cannot list the files of ${id} at ${treeUrl}: ${(e as Error).message}. Offline? Pass --model with a local checkpoint folder or an OpenAI-compatible URL.`, { cause: e });
  }
  const files = tree.filter((f) => f.type === 'file' && WANTED.test(f.path));
  if (!files.some((f) => f.path === 'config.json') || !files.some((f) => f.path.endsWith('.safetensors'))) {
    throw new ConfigError(`${id} has no config.json or no *.safetensors weights; exitgym needs a safetensors checkpoint.`);
  }
  const url = (p: string): string => `${base}/${id}/resolve/${revision}/${p}`;
  const large: RemoteFile[] = files.filter((f) => f.lfs).map((f) => ({ url: url(f.path), path: f.path, sha256: f.lfs!.oid, bytes: f.lfs!.size }));
  for (const f of files.filter((x) => !x.lfs)) {
    const res = await fetch(url(f.path));
    if (!res.ok) throw new DownloadError(`GET ${url(f.path)} answered HTTP ${res.status}.`);
    const body = new Uint8Array(await res.arrayBuffer());
    const sha1 = gitBlobSha1(body);
    if (sha1 !== f.oid) throw new DownloadError(`checksum mismatch for ${id}/${f.path}: expected git blob ${f.oid}, found ${sha1}; try again, or the repository changed under revision "${revision}".`);
    await writeFileAtomic(join(dir, f.path), body);
  }
  await downloadFiles(`models/${id.replace('/', '--')}`, large, { dest: dir, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  await writeFileAtomic(join(dir, '.complete'), `${new Date(0).toISOString()}\n`);
  return dir;
}
