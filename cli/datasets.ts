/**
 * `exitgym datasets list|pull|verify`: what each dataset needs, downloading it into the cache
 * (progress, checksums, resume), and checking a cached copy.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { UnknownIdError } from '../core/errors.js';
import { downloadFiles, fileSha256, type RemoteFile } from '../datasets/download.js';
import { MANIFESTS } from '../datasets/manifests.js';
import { cacheDir, dataDir } from '../datasets/paths.js';
import { helpText, parseFlags, UsageError } from './args.js';
import type { Command, CommandIo } from './command.js';

/** Work after the download, per dataset (e.g. math converts its source files to the normalised sets). */
const POSTPROCESS: Record<string, (dir: string) => Promise<string[]>> = {
  math: async (dir) => (await import('../datasets/math-convert.js')).convertMathOriginals(dir),
};

function manifest(id: string): RemoteFile[] {
  const files = MANIFESTS[id];
  if (!files) throw new UnknownIdError('dataset', id, Object.keys(MANIFESTS).sort());
  return files;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const fmtBytes = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

const listFlags = { json: { type: 'boolean', description: 'Print JSON instead of a table.' } } as const;

export const listCommand: Command = {
  path: ['datasets', 'list'],
  summary: 'List the downloadable datasets and where each is found (data dir, cache, missing).',
  flags: listFlags,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.stdout(helpText('exitgym datasets list', this.summary, listFlags));
      return 0;
    }
    const { flags } = parseFlags('exitgym datasets list', argv, listFlags);
    const data = dataDir();
    const rows = [];
    for (const [id, files] of Object.entries(MANIFESTS).sort(([a], [b]) => a.localeCompare(b))) {
      const inData = data !== undefined && (await exists(join(data, id)));
      const cached = await Promise.all(files.map((f) => exists(join(cacheDir(), id, f.path))));
      const status = inData ? `data dir (${join(data as string, id)})` : cached.every(Boolean) ? `cache (${join(cacheDir(), id)})` : cached.some(Boolean) ? 'partly cached' : 'missing';
      rows.push({ id, files: files.length, bytes: files.reduce((n, f) => n + (f.bytes ?? 0), 0), status });
    }
    if (flags.json) io.stdout(JSON.stringify(rows, null, 2));
    else io.stdout(rows.map((r) => `${r.id.padEnd(12)} ${String(r.files).padStart(3)} files  ${fmtBytes(r.bytes).padStart(9)}  ${r.status}`).join('\n'));
    return 0;
  },
};

const pullFlags = {
  dest: { type: 'string', value: 'DIR', description: 'Folder for the dataset (default: <cache>/<dataset>; cache = EXITGYM_CACHE_DIR or ~/.cache/exitgym).' },
  retries: { type: 'string', value: 'N', description: 'Extra attempts per file after a network failure.', default: '3' },
  mirror: { type: 'string', value: 'URL', description: 'Fetch each file from URL/<path> instead of its manifest URL (a local or institutional mirror); checksums still apply.' },
} as const;

function progressPrinter(io: CommandIo): (p: { file: string; received: number; total?: number }) => void {
  let lastFile = '';
  let lastPct = -1;
  return (p) => {
    const pct = p.total ? Math.floor((100 * p.received) / p.total) : -1;
    if (p.file === lastFile && pct < lastPct + 25 && pct !== 100) return;
    lastFile = p.file;
    lastPct = pct;
    io.stderr(`  ${p.file}: ${fmtBytes(p.received)}${p.total ? ` / ${fmtBytes(p.total)} (${pct} %)` : ''}`);
  };
}

export const pullCommand: Command = {
  path: ['datasets', 'pull'],
  summary: 'Download a dataset into the cache: progress, sha256 checks, resume of partial files.',
  usage: 'exitgym datasets pull <dataset> [flags]',
  flags: pullFlags,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.stdout(helpText('exitgym datasets pull', this.summary, pullFlags, this.usage));
      return 0;
    }
    const { flags, positionals } = parseFlags('exitgym datasets pull', argv, pullFlags);
    const id = positionals[0];
    if (id === undefined || positionals.length > 1) throw new UsageError(`exitgym datasets pull: give exactly one dataset (${Object.keys(MANIFESTS).join(', ')}); see \`exitgym datasets pull --help\`.`);
    const files = manifest(id);
    const retries = Number(flags.retries);
    if (!Number.isInteger(retries) || retries < 0) throw new UsageError(`exitgym datasets pull: --retries must be a non-negative integer; got "${flags.retries}".`);
    const dest = flags.dest ?? join(cacheDir(), id);
    const mirror = flags.mirror?.replace(/\/+$/, '');
    const sources = mirror === undefined ? files : files.map((file) => ({ ...file, url: `${mirror}/${file.path}` }));
    io.stderr(`pulling ${id}: ${files.length} files into ${dest}`);
    const r = await downloadFiles(id, sources, { dest, retries, onProgress: progressPrinter(io) });
    const made = POSTPROCESS[id] ? await POSTPROCESS[id](dest) : [];
    io.stdout(JSON.stringify({ dataset: id, dest, downloaded: r.downloaded, skipped: r.skipped, converted: made }));
    return 0;
  },
};

export const verifyCommand: Command = {
  path: ['datasets', 'verify'],
  summary: "Check a pulled dataset's files against their sha256 checksums.",
  usage: 'exitgym datasets verify <dataset> [flags]',
  flags: { dest: pullFlags.dest },
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.stdout(helpText('exitgym datasets verify', this.summary, this.flags, this.usage));
      return 0;
    }
    const { flags, positionals } = parseFlags('exitgym datasets verify', argv, { dest: pullFlags.dest });
    const id = positionals[0];
    if (id === undefined) throw new UsageError(`exitgym datasets verify: give a dataset (${Object.keys(MANIFESTS).join(', ')}).`);
    const dest = flags.dest ?? join(cacheDir(), id);
    let bad = 0;
    for (const f of manifest(id)) {
      const found = await fileSha256(join(dest, f.path));
      const status = found === undefined ? 'missing' : found === f.sha256 ? 'ok' : `checksum mismatch (expected ${f.sha256}, found ${found})`;
      if (status !== 'ok') bad++;
      io.stdout(`${status === 'ok' ? 'ok    ' : 'FAILED'} ${f.path}${status === 'ok' ? '' : `: ${status}`}`);
    }
    if (bad > 0) io.stderr(`${bad} file(s) missing or wrong in ${dest}; run \`exitgym datasets pull ${id}\` to fetch them again.`);
    return bad > 0 ? 1 : 0;
  },
};
