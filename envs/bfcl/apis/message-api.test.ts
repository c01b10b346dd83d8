// Expected result strings and states below were produced by running the upstream Python class
// (gorilla c67d246, CPython 3.11) on the same scenario and calls; `null` marks a call whose upstream
// result differs on purpose (see the named test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth } from '../../../test/fixtures/bfcl-api-replay.js';
import { parseCallString } from '../call-string.js';
import { jsonLoads } from '../python/json.js';
import type { PyDict } from '../python/value.js';
import { createApi, outcomeString, type BfclApi } from './index.js';

/** Execute one call string on `api` and return the executor's result string (SPEC §1.3). */
function run(api: BfclApi, call: string): string {
  const p = parseCallString(call);
  return outcomeString(api.invoke(p.name, p.positional, new Map(p.keywords)));
}

/** Run `pairs` in order on a fresh instance loaded from `config`; check each result string and the final state. */
function replay(config: string, pairs: ReadonlyArray<readonly [string, string | null]>, state: unknown): BfclApi {
  const api = createApi("MessageAPI", new Map([["MessageAPI", jsonLoads(config)]]) as PyDict);
  for (const [call, want] of pairs) {
    const got = run(api, call);
    if (want !== null) assert.equal(got, want, call);
  }
  assert.deepEqual(api.snapshot(), state);
  return api;
}


test("every method before and after login, errors, ids from random.Random(200191)", () => {
  replay(
    "{\"user_count\": 5, \"user_map\": {\"Alice\": \"USR001\", \"Bob\": \"USR002\", \"Eve\": \"USR005\"}, \"inbox\": [{\"USR002\": \"hello\"}, {\"USR005\": \"Hi\"}, {\"USR002\": \"hello\"}, {\"USR001\": \"Second HELLO\"}], \"message_count\": 4, \"current_user\": null}",
    [
      ["list_users()", "{\"user_list\": [\"Alice\", \"Bob\", \"Eve\"]}"],
      ["get_user_id(user='Bob')", "{\"user_id\": \"USR002\"}"],
      ["get_user_id(user='Zed')", "{\"error\": \"User 'Zed' not found in the workspace.\"}"],
      ["message_get_login_status()", "{\"login_status\": false}"],
      ["send_message(receiver_id='USR002', message='x')", "{\"error\": \"No user is currently logged in.\"}"],
      ["view_messages_sent()", "{\"error\": \"No user is currently logged in.\"}"],
      ["search_messages(keyword='hello')", "{\"error\": \"No user is currently logged in.\"}"],
      ["get_message_stats()", "{\"error\": \"No user is currently logged in.\"}"],
      ["delete_message(receiver_id='USR002')", "{\"error\": \"No user is currently logged in.\"}"],
      ["message_login(user_id='USR999')", "{\"login_status\": false, \"message\": \"User ID 'USR999' not found.\"}"],
      ["message_login(user_id='USR001')", "{\"login_status\": true, \"message\": \"User 'USR001' logged in successfully.\"}"],
      ["message_get_login_status()", "{\"login_status\": true}"],
      ["send_message(receiver_id='USR002', message='first')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 67410}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR005', message='second')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 41772}, \"message\": \"Message sent to 'USR005' successfully.\"}"],
      ["send_message(receiver_id='USR404', message='x')", "{\"error\": \"Receiver ID 'USR404' not found.\"}"],
      ["send_message('USR001', 'third')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 24547}, \"message\": \"Message sent to 'USR001' successfully.\"}"],
      ["view_messages_sent()", "{\"messages\": {\"USR002\": [\"hello\", \"hello\", \"first\"], \"USR005\": [\"Hi\", \"second\"], \"USR001\": [\"Second HELLO\", \"third\"]}}"],
      ["search_messages(keyword='HELLO')", "{\"results\": [{\"receiver_id\": \"USR002\", \"message\": \"hello\"}, {\"receiver_id\": \"USR002\", \"message\": \"hello\"}, {\"receiver_id\": \"USR001\", \"message\": \"Second HELLO\"}]}"],
      ["get_message_stats()", "{\"stats\": {\"received_count\": 7, \"total_contacts\": 3}}"],
      ["delete_message(receiver_id='USR002')", "{\"deleted_status\": true, \"message_id\": \"USR002\", \"message\": \"Receiver USR002's first message deleted successfully.\"}"],
      ["delete_message(receiver_id='USR404')", "{\"error\": \"Receiver ID USR404 not found.\"}"],
      ["view_messages_sent()", "{\"messages\": {\"USR002\": [\"hello\", \"hello\"], \"USR005\": [\"Hi\", \"second\"], \"USR001\": [\"Second HELLO\", \"third\"]}}"],
      ["add_contact(user_name='Bob')", "{\"error\": \"User name 'Bob' already exists.\"}"],
      ["add_contact(user_name='Frank')", "{\"added_status\": true, \"user_id\": \"USR006\", \"message\": \"Contact 'Frank' added successfully.\"}"],
      ["add_contact(user_name='Gina')", "{\"added_status\": true, \"user_id\": \"USR007\", \"message\": \"Contact 'Gina' added successfully.\"}"],
      ["list_users()", "{\"user_list\": [\"Alice\", \"Bob\", \"Eve\", \"Frank\", \"Gina\"]}"],
      ["search_messages(keyword=5)", "Error during execution: 'int' object has no attribute 'lower'"],
    ],
    {"generated_ids": [24547, 41772, 67410], "user_count": 7, "user_map": {"Alice": "USR001", "Bob": "USR002", "Eve": "USR005", "Frank": "USR006", "Gina": "USR007"}, "inbox": [{"USR002": "hello"}, {"USR005": "Hi"}, {"USR002": "hello"}, {"USR001": "Second HELLO"}, {"USR005": "second"}, {"USR001": "third"}], "message_count": 7, "current_user": "USR001"},
  );
});

test("twelve sends draw twelve distinct seeded ids", () => {
  replay(
    "{\"user_count\": 5, \"user_map\": {\"Alice\": \"USR001\", \"Bob\": \"USR002\", \"Eve\": \"USR005\"}, \"inbox\": [{\"USR002\": \"hello\"}, {\"USR005\": \"Hi\"}, {\"USR002\": \"hello\"}, {\"USR001\": \"Second HELLO\"}], \"message_count\": 4, \"current_user\": null}",
    [
      ["message_login('USR001')", "{\"login_status\": true, \"message\": \"User 'USR001' logged in successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m0')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 67410}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m1')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 41772}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m2')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 24547}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m3')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 24421}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m4')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 60424}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m5')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 33485}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m6')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 15831}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m7')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 69233}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m8')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 63997}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m9')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 54564}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m10')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 91372}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["send_message(receiver_id='USR002', message='m11')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 90263}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["get_message_stats()", "{\"stats\": {\"received_count\": 16, \"total_contacts\": 3}}"],
    ],
    {"generated_ids": [15831, 24421, 24547, 33485, 41772, 54564, 60424, 63997, 67410, 69233, 90263, 91372], "user_count": 5, "user_map": {"Alice": "USR001", "Bob": "USR002", "Eve": "USR005"}, "inbox": [{"USR002": "hello"}, {"USR005": "Hi"}, {"USR002": "hello"}, {"USR001": "Second HELLO"}, {"USR002": "m0"}, {"USR002": "m1"}, {"USR002": "m2"}, {"USR002": "m3"}, {"USR002": "m4"}, {"USR002": "m5"}, {"USR002": "m6"}, {"USR002": "m7"}, {"USR002": "m8"}, {"USR002": "m9"}, {"USR002": "m10"}, {"USR002": "m11"}], "message_count": 16, "current_user": "USR001"},
  );
});

test("default state", () => {
  replay(
    "{}",
    [
      ["message_login('USR001')", "{\"login_status\": true, \"message\": \"User 'USR001' logged in successfully.\"}"],
      ["send_message('USR002', 'a')", "{\"sent_status\": true, \"message_id\": {\"new_id\": 67410}, \"message\": \"Message sent to 'USR002' successfully.\"}"],
      ["view_messages_sent()", "{\"messages\": {\"USR002\": [\"My name is Alice. I want to connect.\", \"a\"], \"USR003\": [\"Could you upload the file?\"], \"USR004\": [\"Could you upload the file?\"]}}"],
      ["add_contact('Zed')", "{\"added_status\": true, \"user_id\": \"USR005\", \"message\": \"Contact 'Zed' added successfully.\"}"],
    ],
    {"generated_ids": [67410], "user_count": 5, "user_map": {"Alice": "USR001", "Bob": "USR002", "Catherine": "USR003", "Daniel": "USR004", "Zed": "USR005"}, "inbox": [{"USR002": "My name is Alice. I want to connect."}, {"USR003": "Could you upload the file?"}, {"USR004": "Could you upload the file?"}, {"USR002": "a"}], "message_count": 4, "current_user": "USR001"},
  );
});

test("a scenario inbox holding a list breaks search_messages as upstream", () => {
  replay(
    "{\"current_user\": \"USR001\", \"inbox\": [{\"USR002\": [\"a\", \"b\"]}]}",
    [
      ["search_messages(keyword='a')", "Error during execution: 'list' object has no attribute 'lower'"],
      ["view_messages_sent()", "{\"messages\": {\"USR002\": [[\"a\", \"b\"]]}}"],
    ],
    {"generated_ids": [], "user_count": 4, "user_map": {"Alice": "USR001", "Bob": "USR002", "Catherine": "USR003", "Daniel": "USR004"}, "inbox": [{"USR002": ["a", "b"]}], "message_count": 3, "current_user": "USR001"},
  );
});

test('message ids come from CPython random.Random(200191) and are recorded in generated_ids', () => {
  const api = createApi('MessageAPI');
  run(api, "message_login(user_id='USR001')");
  const ids = [0, 1, 2, 3].map(() => {
    const out = run(api, "send_message(receiver_id='USR002', message='hi')");
    return Number(/"new_id": (\d+)/.exec(out)?.[1]);
  });
  assert.deepEqual(ids, [67410, 41772, 24547, 24421]);
  assert.deepEqual(api.snapshot().generated_ids, [24421, 24547, 41772, 67410]);
  assert.equal(api.snapshot().message_count, 7);
});

test('a scenario random_seed replaces the default seed', () => {
  const api = createApi('MessageAPI', jsonLoads('{"MessageAPI": {"random_seed": 141053, "current_user": "USR001"}}') as PyDict);
  // CPython: random.Random(141053).randint(10000, 99999)
  assert.match(run(api, "send_message(receiver_id='USR002', message='x')"), /"new_id": 28959/);
});

pinGroundTruth('MessageAPI', { tasks: 29, calls: 63, digest: 'c4643a0494b045a400f8126adf594527ead39e3a12ca740ebeee52a5a2ac4892' });
