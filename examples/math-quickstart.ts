/**
 * The README's first example: a math task, an answer, then an improve step on that answer.
 * Needs the benchmark data: EXITGYM_DATA_DIR, or `npx exitgym datasets pull math` once.
 *
 *   EXITGYM_DATA_DIR=../shared/data node --import tsx examples/math-quickstart.ts
 */
import { baseStart, improveStart, makeEnv } from 'exitgym';
import { verify } from 'exitgym/envs/math';

const env = await makeEnv('math', { split: 'math500' });
const { observation } = await env.reset(baseStart('math500/0'), { seed: 0 });
console.log(`task: ${observation[0]?.content.slice(0, 80)}…`);

const step = await env.step('… so the answer is $\\boxed{42}$.');
console.log(`reward ${step.reward}: ${step.info.feedback}`);

// Improve the answer just given: the history becomes the start of a new task.
const improve = await env.reset(improveStart({ taskId: 'math500/0', turns: env.trace() }));
console.log(improve.observation[0]?.content.split('\n')[0]); // "Improve your current response to this request:"
await env.close();

// The checker on its own, for scoring saved outputs.
console.log(JSON.stringify(verify('\\frac{1}{2}', 'so the answer is $\\boxed{0.5}$')));
