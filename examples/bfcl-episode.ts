/**
 * A BFCL multi-turn episode driven by hand: each assistant call is one step (a tool call, or
 * <TASK_FINISHED> to move to the next user request); the reward arrives when the episode ends.
 * Needs the benchmark data: EXITGYM_DATA_DIR, or `npx exitgym datasets pull bfcl` once.
 *
 *   EXITGYM_DATA_DIR=../shared/data node --import tsx examples/bfcl-episode.ts
 */
import { baseStart, makeEnv } from 'exitgym';

const env = await makeEnv('bfcl', { split: 'test' }); // all user requests, 60 calls
const reset = await env.reset(baseStart('multi_turn_base_102')); // a test-split task with TradingBot and TicketAPI
console.log(`${reset.observation.length} messages: the system prompt (tools + protocol) and the first request`);

let r = await env.step('<tool>[{"name": "get_current_time", "args": {}}]</tool>');
console.log(`tool result: ${r.observation[0]?.content.slice(0, 100)}`);
r = await env.step('<tool>[{"name": "no_such_tool", "args": {}}]</tool>');
console.log(`a bad call is fed back, not thrown: ${r.observation[0]?.content.slice(0, 100)}`);
while (!r.terminated && !r.truncated) r = await env.step('<TASK_FINISHED>');
console.log(`episode over: reward ${r.reward} after ${r.info.requestsFinished} finished requests (${r.info.feedback})`);
await env.close();
