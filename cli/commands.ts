/**
 * The command table. Each command lives in its own module, imported only when run, so
 * `exitgym --help` never loads TensorFlow.js or a sandbox. Add a line per command.
 */
import type { CommandEntry } from './command.js';

export const COMMANDS: CommandEntry[] = [
  { path: ['eval'], summary: 'K-step self-improvement benchmark of a model on an env split.', load: async () => (await import('./eval.js')).command },
  { path: ['train'], summary: 'Train with ExIt or a GRPO baseline (curriculum, group rollouts, GRPO, checkpoints, exact resume).', load: async () => (await import('./train.js')).command },
  { path: ['compare'], summary: 'Overlay the K-step curves of several eval runs in one table and one plot.', load: async () => (await import('./compare.js')).command },
  { path: ['serve-model'], summary: 'Serve a local checkpoint behind an OpenAI-compatible API.', load: async () => (await import('./serve-model.js')).command },
  { path: ['serve'], summary: 'Serve the envs over HTTP for external RL code.', load: async () => (await import('./serve.js')).command },
  { path: ['envs', 'list'], summary: 'List the registered envs: id, domain, quality range, budgets.', load: async () => (await import('./envs-list.js')).command },
  { path: ['bfcl', 'replay'], summary: 'Run BFCL call strings (the ground truth by default); write result strings and states per turn.', load: async () => (await import('./bfcl-replay.js')).command },
  { path: ['math', 'verify'], summary: 'Score saved model responses against gold answers with the math checker.', load: async () => (await import('./math-verify.js')).command },
  { path: ['datasets', 'list'], summary: 'List the downloadable datasets and where each is found (data dir, cache, missing).', load: async () => (await import('./datasets.js')).listCommand },
  { path: ['datasets', 'pull'], summary: 'Download a dataset into the cache: progress, sha256 checks, resume of partial files.', load: async () => (await import('./datasets.js')).pullCommand },
  { path: ['datasets', 'verify'], summary: "Check a pulled dataset's files against their sha256 checksums.", load: async () => (await import('./datasets.js')).verifyCommand },
  { path: ['mlebench', 'grade'], summary: 'Grade a submission.csv against the answers: score, normalised quality, validity, medal.', load: async () => (await import('./mlebench-grade.js')).command },
  { path: ['datasets', 'prepare'], summary: 'Prepare MLE-bench data: split a Kaggle download into public/private, or generate synthetic data.', load: async () => (await import('./datasets-prepare.js')).command },
  { path: ['model', 'generate'], summary: 'Generate from a local checkpoint: text, token ids and per-token logprobs.', load: async () => (await import('./model.js')).generateCommand },
  { path: ['model', 'score'], summary: 'Per-token logprobs of {prompt, completion} pairs under a local checkpoint.', load: async () => (await import('./model.js')).scoreCommand },
  { path: ['report'], summary: 'Write the HTML training report (curves of metrics.jsonl) of an `exitgym train` run directory.', load: async () => (await import('./report.js')).command },
];
