/**
 * Targeted wrong agents score 0, each with feedback that says what went wrong. They play task
 * multi_turn_base_0's first request (cd document, mkdir temp, mv final_report.pdf → temp) in the
 * train configuration, changing one action of the perfect script.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TOOL_FEEDBACK } from '../../envs/bfcl/tool-call.js';
import { DATA_DIR, base, last, makeBfclEnv, play } from './helpers.js';

const TASK = 'multi_turn_base_0';
const cd = '<tool>[{"name": "cd", "args": {"folder": "document"}}]</tool>';
const mkdir = '<tool>[{"name": "mkdir", "args": {"dir_name": "temp"}}]</tool>';
const mv = '<tool>[{"name": "mv", "args": {"source": "final_report.pdf", "destination": "temp"}}]</tool>';
const done = 'Moved it. <TASK_FINISHED>';

async function run(actions: string[]): Promise<Awaited<ReturnType<typeof play>>> {
  return play(await makeBfclEnv({ config: 'train' }), base(TASK), actions);
}

/** The tool-result strings of a step's observation. */
function results(step: { observation: { content: string }[] }): string[] {
  const m = /^<tool_result> (.*) <\/tool_result>$/s.exec(step.observation[0]?.content ?? '');
  return m ? (JSON.parse(m[1] as string) as string[]) : [];
}

describe('wrong agents (EXITGYM_DATA_DIR)', () => {
  test('the perfect script scores 1', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const end = last(await run([cd, mkdir, mv, done]));
    assert.equal(end.reward, 1);
    assert.equal(end.info.feedback, 'Episode over (all requests finished): quality 1.');
    assert.equal(end.info.gtSteps, 3, 'complexity: ground-truth calls of the played request');
    assert.equal(end.info.startStep, 0);
    assert.deepEqual(end.info.checks, [{ turn: 0, passed: true }]);
  });

  test('a dropped call: state and calls both miss', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const end = last(await run([cd, mv, done]));
    assert.equal(end.reward, 0);
    assert.equal(end.info.feedback, 'Episode over (all requests finished): quality 0; the final state of GorillaFileSystem differs from the expected one; request 0 lacks expected successful calls.');
    assert.deepEqual(end.info.checks, [{ turn: 0, passed: false, reason: "state differs from the ground truth's after turn 0 in GorillaFileSystem" }]);
  });

  test('a changed argument', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const steps = await run([cd, mkdir.replace('"temp"', '"tmp"'), mv, done]);
    assert.match(results(steps[1] as never)[0] ?? '', /^Function Call \{'name': 'mkdir', 'args': \{'dir_name': 'tmp'\}\} Succeeded\. Result: None$/);
    const end = last(steps);
    assert.equal(end.reward, 0);
    assert.deepEqual(end.info.turnMatches, [false]);
    assert.deepEqual(end.info.stateMatches, [true, false]);
    assert.equal(end.info.feedback, 'Episode over (all requests finished): quality 0; the final state of GorillaFileSystem differs from the expected one; request 0 lacks expected successful calls.');
    assert.deepEqual(end.info.checks, [{ turn: 0, passed: false, reason: "state differs from the ground truth's after turn 0 in GorillaFileSystem" }]);
  });

  test('a call to a method that does not exist, and to a wrong existing one', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const steps = await run([cd, mkdir.replace('"mkdir"', '"mkdirs"'), mv, done]);
    assert.deepEqual(results(steps[1] as never), [
      "Function Call {'name': 'mkdirs', 'args': {'dir_name': 'temp'}} Failed. Error: Method 'mkdirs' not found in any class instance. Did you mean 'mkdir'? Function calls after this will not be executed.",
    ]);
    assert.equal(steps[1]?.info.error, 'unknown_method');
    assert.equal(last(steps).reward, 0);
    const wrong = await run([cd, '<tool>[{"name": "touch", "args": {"file_name": "temp"}}]</tool>', mv, done]);
    assert.deepEqual(results(wrong[2] as never), [
      "Function Call {'name': 'mv', 'args': {'source': 'final_report.pdf', 'destination': 'temp'}} Failed during execution. Error: {'error': \"mv: cannot move 'final_report.pdf' to 'temp': Not a directory\"}. Function calls after this will not be executed.",
    ]);
    assert.equal(last(wrong).reward, 0);
    assert.deepEqual(last(wrong).info.turnMatches, [false]);
    assert.equal(last(wrong).info.feedback, 'Episode over (all requests finished): quality 0; the final state of GorillaFileSystem differs from the expected one; request 0 lacks expected successful calls.');
  });

  test('a malformed tool block', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const steps = await run([cd, '<tool>{"name": "mkdir", "args": {"dir_name": "temp"}}</tool>', mv, done]);
    assert.deepEqual(results(steps[1] as never), ['Error: Invalid tool command. Tool command must be one list of JSON objects. Please ensure correct formatting.']);
    assert.equal(TOOL_FEEDBACK.not_a_list, results(steps[1] as never)[0]);
    assert.equal(steps[1]?.info.error, 'not_a_list');
    assert.equal(last(steps).reward, 0);
    assert.equal(last(steps).info.feedback, 'Episode over (all requests finished): quality 0; the final state of GorillaFileSystem differs from the expected one; request 0 lacks expected successful calls.');
    const badItem = await run([cd, '<tool>[{"name": "mkdir", "dir_name": "temp"}]</tool>', mv, done]);
    assert.deepEqual(results(badItem[1] as never), [
      "Function Call {'name': 'mkdir', 'dir_name': 'temp'} Failed. Error: Tool command must be a dictionary with 'name' key and 'args' as a dictionary. Function calls after this will not be executed.",
    ]);
    assert.equal(badItem[1]?.info.error, 'malformed_call');
    assert.equal(last(badItem).reward, 0);
    const badJson = await run([cd, '<tool>[{"name": "mkdir", "args": {"dir_name": "temp"}]</tool>', mv, done]);
    assert.match(results(badJson[1] as never)[0] ?? '', /^Error in decoding tool call: Invalid JSON format\. Tool command must be one list of JSON objects\. Please ensure correct formatting\./);
    assert.equal(badJson[1]?.info.error, 'invalid_json');
    assert.equal(last(badJson).reward, 0);
    const noBlock = await run([cd, 'I will now make the folder.', mkdir, mv, done]);
    assert.deepEqual(results(noBlock[1] as never), [TOOL_FEEDBACK.no_tool_call]);
    assert.equal(last(noBlock).reward, 1, 'a message without a tool block costs a step, nothing else');
  });

  test('arguments that fail the schema are not run, and the feedback names the argument', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const steps = await run([cd, '<tool>[{"name": "mkdir", "args": {"dir_name": 5}}]</tool>', '<tool>[{"name": "mkdir", "args": {"name": "temp"}}]</tool>', mv, done]);
    assert.deepEqual(results(steps[1] as never), [
      "Function Call {'name': 'mkdir', 'args': {'dir_name': 5}} Failed. Error: Invalid arguments for mkdir: argument 'dir_name' must be a string, got 5. Expected mkdir(dir_name: string). Function calls after this will not be executed.",
    ]);
    assert.match(results(steps[2] as never)[0] ?? '', /missing required argument 'dir_name'; unknown argument 'name'\. Expected mkdir\(dir_name: string\)\./);
    assert.equal(last(steps).reward, 0);
  });

  test('an error the API returns fails the call and stops the rest of the list', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const steps = await run(['<tool>[{"name": "cd", "args": {"folder": "nope"}}, {"name": "cd", "args": {"folder": "document"}}]</tool>', mkdir, mv, done]);
    assert.deepEqual(results(steps[0] as never), [
      "Function Call {'name': 'cd', 'args': {'folder': 'nope'}} Failed during execution. Error: {'error': 'cd: nope: No such directory. You cannot use path to change directory.'}. Function calls after this will not be executed.",
    ]);
    assert.equal(steps[0]?.info.error, 'returned_error');
    assert.equal(last(steps).reward, 0, 'the cd into document never ran');
  });

  test('giving up ends the episode with quality 0; running out of steps truncates it', async (t) => {
    if (!DATA_DIR) return t.skip('EXITGYM_DATA_DIR not set');
    const gaveUp = last(await run([cd, 'This cannot be done. <TASK_ERROR>']));
    assert.equal(gaveUp.terminated, true);
    assert.equal(gaveUp.reward, 0);
    assert.equal(gaveUp.info.ended, 'gave_up');
    const steps = await run(Array.from({ length: 12 }, () => 'thinking...'));
    assert.equal(steps.length, 10, 'train budget: 10 assistant calls');
    assert.equal(last(steps).truncated, true);
    assert.equal(last(steps).info.truncatedBy, 'steps');
    assert.equal(last(steps).info.quality, 0);
  });
});
