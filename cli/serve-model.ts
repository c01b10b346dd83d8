import { basename, resolve } from 'node:path';
import { helpText, numberFlag, parseFlags, UsageError } from './args.js';
import type { Command } from './command.js';

const flags = {
  model: { type: 'string', value: 'DIR', description: 'Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json).', required: true },
  port: { type: 'string', value: 'P', description: 'Port to listen on (0 picks a free one).', default: '8000' },
  host: { type: 'string', value: 'HOST', description: 'Address to bind.', default: '127.0.0.1' },
  name: { type: 'string', value: 'NAME', description: 'Model name served at /v1/models (default: the folder name).' },
  backend: { type: 'string', value: 'NAME', description: 'tfjs backend: auto, tensorflow, webgpu, wasm, cpu.', default: 'auto' },
  'max-tokens': { type: 'string', value: 'N', description: 'Cap on the max tokens of a chat completion that gives none (default: the context length minus the prompt, as vLLM).' },
  seed: { type: 'string', value: 'S', description: 'Seeds the sampling of requests that give no seed (reproducible in arrival order).', default: '0' },
  'max-queued': { type: 'string', value: 'N', description: 'Most completion requests queued or running at once; one more answers 429 with Retry-After.', default: '256' },
  'api-key': { type: 'string', value: 'KEY', description: 'Require Authorization: Bearer KEY on every request (needed for POST /v1/weights beyond loopback).' },
} as const;

export const command: Command = {
  path: ['serve-model'],
  summary: 'Serve a local checkpoint behind an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models; /v1/weights reloads weights).',
  flags,
  async run(argv, io) {
    const name = 'exitgym serve-model';
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(name, this.summary, flags));
      return 0;
    }
    const { flags: f } = parseFlags(name, argv, flags);
    const port = numberFlag(name, 'port', f.port, { integer: true, min: 0, max: 65535 }) as number;
    const maxTokens = numberFlag(name, 'max-tokens', f['max-tokens'], { integer: true, min: 1 });
    const seed = numberFlag(name, 'seed', f.seed, { integer: true }) as number;
    const maxQueued = numberFlag(name, 'max-queued', f['max-queued'], { integer: true, min: 1 }) as number;
    const { BACKEND_NAMES } = await import('../trainer/backend.js');
    if (!BACKEND_NAMES.includes(f.backend as never)) throw new UsageError(`${name}: --backend must be one of ${BACKEND_NAMES.join(', ')}; got "${f.backend}".`);
    const { ServedPolicy } = await import('../trainer/served-policy.js');
    const { startChatCompletionsServer } = await import('../server/chat-completions.js');
    const modelName = f.name ?? basename(resolve(f.model));
    const model = await ServedPolicy.load(f.model, { backend: f.backend as never, log: io.stderr });
    const server = await startChatCompletionsServer({ model, modelName, port, host: f.host, ...(maxTokens !== undefined ? { maxTokens } : {}), seed, maxQueued, ...(f['api-key'] ? { apiKey: f['api-key'] } : {}) });
    // The URL line is machine-read by scripts and tests: keep its shape.
    io.stdout(`serving ${modelName} at ${server.baseURL}`);
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await server.close();
    await model.close();
    return 0;
  },
};
