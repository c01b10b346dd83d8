import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-write.js';
import { loadBfcl } from '../datasets/bfcl.js';
import { groundTruthScenarios, parseScenarios, replayScenario, type ReplayScenario } from '../envs/bfcl/replay.js';
import { UsageError, helpText, parseFlags } from './args.js';
import type { Command } from './command.js';
import { Progress } from './progress.js';

const flags = {
  input: { type: 'string', value: 'FILE', description: 'Scenarios to replay: a JSON list or JSON Lines of {id, involved_classes, initial_config, turns: [[call, …], …]}.' },
  'ground-truth': { type: 'boolean', description: "Replay the dataset's ground truth (the default when --input is not given)." },
  ids: { type: 'string', value: 'ID,…', description: 'Only these scenario ids (comma-separated).' },
  output: { type: 'string', value: 'FILE', required: true, description: 'Where to write one JSON line per scenario: {id, initial_state, turns: [{turn, calls: [{call, result_str, error}], state}]}.' },
  today: { type: 'string', value: 'YYYY-MM-DD', description: "The APIs' date (default 2025-03-01, as the reference runs)." },
  'data-dir': { type: 'string', value: 'DIR', description: 'Data folder (default EXITGYM_DATA_DIR, then the download cache).' },
} as const;

const NAME = 'exitgym bfcl replay';

export const command: Command = {
  path: ['bfcl', 'replay'],
  summary: 'Run BFCL call strings on fresh API instances; write each call\'s result string and the state after each turn.',
  flags,
  usage: `${NAME} [--input scenarios.json | --ground-truth] [--ids ID,…] --output states.jsonl`,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(NAME, this.summary, flags, this.usage));
      return 0;
    }
    const { flags: f, positionals } = parseFlags(NAME, argv, flags);
    if (positionals.length > 0) throw new UsageError(`${NAME}: unexpected argument "${positionals[0]}"; see \`${NAME} --help\`.`);
    if (f.input !== undefined && f['ground-truth']) throw new UsageError(`${NAME}: give either --input or --ground-truth, not both.`);
    let scenarios: ReplayScenario[];
    if (f.input !== undefined) {
      let text: string;
      try {
        text = await readFile(f.input, 'utf8');
      } catch (e) {
        throw new UsageError(`${NAME}: cannot read --input ${f.input}: ${(e as Error).message}`);
      }
      scenarios = parseScenarios(text, f.input);
    } else {
      scenarios = groundTruthScenarios(await loadBfcl(f['data-dir'] ? { dataDir: f['data-dir'] } : {}));
    }
    if (f.ids !== undefined) {
      const wanted = f.ids.split(',').map((s) => s.trim()).filter(Boolean);
      const known = new Set(scenarios.map((s) => s.id));
      const unknown = wanted.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new UsageError(`${NAME}: --ids names unknown scenario(s) ${unknown.join(', ')}.`);
      scenarios = scenarios.filter((s) => wanted.includes(s.id));
    }
    const progress = new Progress('replay', scenarios.length, (t) => io.stderr(t.replace(/\n$/, '')));
    const lines: string[] = [];
    let calls = 0;
    let errors = 0;
    for (const s of scenarios) {
      const line = replayScenario(s, f.today ? { today: f.today } : {});
      for (const t of line.turns) {
        calls += t.calls.length;
        errors += t.calls.filter((c) => c.error !== null).length;
      }
      lines.push(JSON.stringify(line));
      progress.tick();
    }
    await writeFileAtomic(f.output, lines.map((l) => `${l}\n`).join(''));
    io.stderr(`${NAME}: ${scenarios.length} scenarios, ${calls} calls (${errors} raised) → ${f.output}`);
    return 0;
  },
};
