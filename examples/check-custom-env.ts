/**
 * Register your own env and run the conformance checks on it: the same verdict exitgym's own envs
 * get in CI. `checkEnv` throws `EnvCheckError` naming the failed check, expected vs found.
 *
 *   node --import tsx examples/check-custom-env.ts
 */
import { baseStart, checkEnv, improveStart, makeEnv } from 'exitgym';
import { registerReverseEnv } from './reverse-env.js';

registerReverseEnv();
const env = await makeEnv('reverse');
const report = await checkEnv(env, { start: baseStart('reverse/1'), actions: ['myg'] });
console.log(`checkEnv: ${report.passed.length} checks passed (${report.passed.join(', ')})`);

// One episode, then an improve step on the history it left.
await env.reset(baseStart('reverse/1'), { seed: 0 });
const first = await env.step('I think it is gmy');
console.log(`initial answer: reward ${first.reward} (${first.info.feedback})`);
const again = await env.reset(improveStart({ taskId: 'reverse/1', turns: env.trace() }));
console.log(again.observation[0]?.content.split('\n')[0]);
const fixed = await env.step('Reversed: myg');
console.log(`improved answer: reward ${fixed.reward} (${fixed.info.feedback})`);
await env.close();
