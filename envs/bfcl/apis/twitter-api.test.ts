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
  const api = createApi("TwitterAPI", new Map([["TwitterAPI", jsonLoads(config)]]) as PyDict);
  for (const [call, want] of pairs) {
    const got = run(api, call);
    if (want !== null) assert.equal(got, want, call);
  }
  assert.deepEqual(api.snapshot(), state);
  return api;
}


test("every method before and after authentication, errors, int tweet ids vs string comment keys", () => {
  replay(
    "{\"username\": \"alice\", \"password\": \"pw\", \"authenticated\": false, \"tweets\": {\"1\": {\"id\": 1, \"username\": \"bob\", \"content\": \"Hello #World\", \"tags\": [\"#World\"], \"mentions\": []}, \"2\": {\"id\": 2, \"username\": \"alice\", \"content\": \"mine\", \"tags\": [\"#mine\", \"#X\"], \"mentions\": [\"bob\"]}}, \"comments\": {\"1\": [{\"username\": \"carl\", \"content\": \"nice\"}]}, \"retweets\": {}, \"following_list\": [\"bob\"], \"tweet_counter\": 3}",
    [
      ["posting_get_login_status()", "{\"login_status\": false}"],
      ["post_tweet(content='x')", "{\"error\": \"User not authenticated. Please authenticate before posting.\"}"],
      ["retweet(tweet_id=1)", "{\"error\": \"User not authenticated. Please authenticate before retweeting.\"}"],
      ["comment(tweet_id=1, comment_content='c')", "Error during execution: exceptions must derive from BaseException"],
      ["follow_user(username_to_follow='z')", "{\"error\": \"User not authenticated. Please authenticate before following.\"}"],
      ["list_all_following()", "{\"error\": \"User not authenticated. Please authenticate before listing following.\"}"],
      ["unfollow_user(username_to_unfollow='bob')", "{\"error\": \"User not authenticated. Please authenticate before unfollowing.\"}"],
      ["mention(tweet_id=1, mentioned_usernames=['q'])", "{\"mention_status\": \"Users mentioned successfully\"}"],
      ["get_tweet(tweet_id=1)", "{\"id\": 1, \"username\": \"bob\", \"content\": \"Hello #World\", \"tags\": [\"#World\"], \"mentions\": [\"q\"]}"],
      ["get_tweet(tweet_id=9)", "{\"error\": \"Tweet with ID 9 not found.\"}"],
      ["get_tweet(tweet_id='1')", "{\"error\": \"Tweet with ID 1 not found.\"}"],
      ["authenticate_twitter(username='alice', password='bad')", "{\"authentication_status\": false}"],
      ["authenticate_twitter(username='alice', password='pw')", "{\"authentication_status\": true}"],
      ["posting_get_login_status()", "{\"login_status\": true}"],
      ["post_tweet(content='Post é', tags=['#A', '#b'], mentions=['@c'])", "{\"id\": 3, \"username\": \"alice\", \"content\": \"Post \\u00e9\", \"tags\": [\"#A\", \"#b\"], \"mentions\": [\"@c\"]}"],
      ["post_tweet('plain')", "{\"id\": 4, \"username\": \"alice\", \"content\": \"plain\", \"tags\": [], \"mentions\": []}"],
      ["post_tweet(content='again')", "{\"id\": 5, \"username\": \"alice\", \"content\": \"again\", \"tags\": [], \"mentions\": []}"],
      ["mention(tweet_id=4, mentioned_usernames=['x', 'y'])", "{\"mention_status\": \"Users mentioned successfully\"}"],
      ["get_tweet(tweet_id=4)", "{\"id\": 4, \"username\": \"alice\", \"content\": \"plain\", \"tags\": [], \"mentions\": [\"x\", \"y\"]}"],
      ["get_tweet(tweet_id=5)", null],
      ["retweet(tweet_id=1)", "{\"retweet_status\": \"Successfully retweeted\"}"],
      ["retweet(tweet_id=1)", "{\"retweet_status\": \"Already retweeted\"}"],
      ["retweet(tweet_id=99)", "{\"error\": \"Tweet with ID 99 not found.\"}"],
      ["comment(tweet_id=1, comment_content='mine')", "{\"comment_status\": \"Comment added successfully\"}"],
      ["comment(tweet_id=77, comment_content='x')", "{\"error\": \"Tweet with ID 77 not found.\"}"],
      ["get_tweet_comments(tweet_id=1)", "[{'username': 'alice', 'content': 'mine'}]"],
      ["get_tweet_comments(tweet_id=2)", "[]"],
      ["get_tweet_comments(tweet_id=42)", "{\"error\": \"Tweet with ID 42 not found.\"}"],
      ["follow_user(username_to_follow='bob')", "{\"follow_status\": false}"],
      ["follow_user(username_to_follow='dan')", "{\"follow_status\": true}"],
      ["list_all_following()", "['bob', 'dan']"],
      ["unfollow_user(username_to_unfollow='zz')", "{\"unfollow_status\": false}"],
      ["unfollow_user(username_to_unfollow='bob')", "{\"unfollow_status\": true}"],
      ["get_user_tweets(username='alice')", null],
      ["get_user_tweets(username='nobody')", "[]"],
      ["search_tweets(keyword='#world')", "[{'id': 1, 'username': 'bob', 'content': 'Hello #World', 'tags': ['#World'], 'mentions': ['q']}]"],
      ["search_tweets(keyword='#a')", "[{'id': 3, 'username': 'alice', 'content': 'Post é', 'tags': ['#A', '#b'], 'mentions': ['@c']}]"],
      ["search_tweets(keyword='POST')", "[{'id': 3, 'username': 'alice', 'content': 'Post é', 'tags': ['#A', '#b'], 'mentions': ['@c']}]"],
      ["get_user_stats(username='alice')", "{\"tweet_count\": 4, \"following_count\": 1, \"retweet_count\": 1}"],
      ["get_user_stats(username='bob')", "{\"tweet_count\": 1, \"following_count\": 0, \"retweet_count\": 0}"],
      ["search_tweets(keyword=5)", "Error during execution: 'int' object has no attribute 'lower'"],
      ["retweet(tweet_id=[1])", "Error during execution: unhashable type: 'list'"],
    ],
    {"username": "alice", "password": "pw", "authenticated": true, "tweets": {"1": {"id": 1, "username": "bob", "content": "Hello #World", "tags": ["#World"], "mentions": ["q"]}, "2": {"id": 2, "username": "alice", "content": "mine", "tags": ["#mine", "#X"], "mentions": ["bob"]}, "3": {"id": 3, "username": "alice", "content": "Post é", "tags": ["#A", "#b"], "mentions": ["@c"]}, "4": {"id": 4, "username": "alice", "content": "plain", "tags": [], "mentions": ["x", "y"]}, "5": {"id": 5, "username": "alice", "content": "again", "tags": [], "mentions": []}}, "comments": {"$pairs": [["1", [{"username": "carl", "content": "nice"}]], [1, [{"username": "alice", "content": "mine"}]]]}, "retweets": {"alice": [1]}, "following_list": ["dan"], "tweet_counter": 6},
  );
});

test("default state; post_tweet defaults are fresh lists (no shared mutable default)", () => {
  replay(
    "{}",
    [
      ["authenticate_twitter('john', 'john123')", "{\"authentication_status\": true}"],
      ["post_tweet('a')", null],
      ["mention(0, ['z'])", "{\"mention_status\": \"Users mentioned successfully\"}"],
      ["post_tweet('b')", null],
      ["get_user_tweets('john')", null],
    ],
    {"username": "john", "password": "john123", "authenticated": true, "tweets": {"0": {"id": 0, "username": "john", "content": "a", "tags": [], "mentions": ["z"]}, "1": {"id": 1, "username": "john", "content": "b", "tags": [], "mentions": []}}, "comments": {}, "retweets": {}, "following_list": ["alice", "bob"], "tweet_counter": 2},
  );
});

test('post_tweet without tags/mentions gets fresh lists: mention() on one tweet leaves the others alone (SPEC §6.7)', () => {
  const api = createApi('TwitterAPI');
  run(api, "authenticate_twitter(username='john', password='john123')");
  run(api, "post_tweet(content='a')");
  run(api, "post_tweet(content='b')");
  assert.equal(run(api, "mention(tweet_id=0, mentioned_usernames=['z'])"), '{"mention_status": "Users mentioned successfully"}');
  assert.equal(run(api, 'get_tweet(tweet_id=0)'), '{"id": 0, "username": "john", "content": "a", "tags": [], "mentions": ["z"]}');
  assert.equal(run(api, 'get_tweet(tweet_id=1)'), '{"id": 1, "username": "john", "content": "b", "tags": [], "mentions": []}');
  const other = createApi('TwitterAPI');
  run(other, "authenticate_twitter(username='john', password='john123')");
  assert.equal(run(other, "post_tweet(content='c')"), '{"id": 0, "username": "john", "content": "c", "tags": [], "mentions": []}');
});

test('comments keep scenario string keys apart from the int keys comment() adds (typed Map keys)', () => {
  const config = jsonLoads('{"TwitterAPI": {"authenticated": true, "tweets": {"1": {"id": 1, "username": "x", "content": "c", "tags": [], "mentions": []}}, "comments": {"1": [{"username": "y", "content": "old"}]}}}') as PyDict;
  const api = createApi('TwitterAPI', config);
  assert.equal(run(api, 'get_tweet_comments(tweet_id=1)'), '[]');
  run(api, "comment(tweet_id=1, comment_content='new')");
  assert.equal(run(api, 'get_tweet_comments(tweet_id=1)'), "[{'username': 'john', 'content': 'new'}]");
  assert.deepEqual(api.snapshot().comments, {
    $pairs: [
      ['1', [{ username: 'y', content: 'old' }]],
      [1, [{ username: 'john', content: 'new' }]],
    ],
  });
});

test('a tuple passed as mentions (Bespoke quirk) makes a later mention() raise as in Python', () => {
  const api = createApi('TwitterAPI');
  run(api, "authenticate_twitter(username='john', password='john123')");
  run(api, "post_tweet(content='t', tags=('#a',), mentions=('@b',))");
  assert.equal(
    run(api, "mention(tweet_id=0, mentioned_usernames=['c'])"),
    "Error during execution: 'tuple' object has no attribute 'extend'",
  );
});

pinGroundTruth('TwitterAPI', { tasks: 34, calls: 65, digest: 'eae761001c7b7e696abd7df421efa65f3e3c36fdfaffd9a97bee75e729ca4297' });
