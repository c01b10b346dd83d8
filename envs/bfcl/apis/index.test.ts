import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UnknownIdError } from '../../../core/errors.js';
import { PyException } from '../python/errors.js';
import { jsonLoads } from '../python/json.js';
import { canonicalSnapshot } from '../python/snapshot.js';
import type { PyDict, PyValue } from '../python/value.js';
import { BFCL_CLASSES, type BfclClassName } from '../../../datasets/bfcl.js';
import {
  API_CLASSES,
  apiClass,
  createApi,
  methodRouting,
  missingClasses,
  outcomeString,
  routeMethod,
} from './index.js';

test('all eight classes are registered and construct with their upstream class names', () => {
  assert.deepEqual(missingClasses(), []);
  for (const name of BFCL_CLASSES) assert.equal(new (apiClass(name))().className, name);
  assert.throws(() => apiClass('Nope'), (e: unknown) => e instanceof UnknownIdError && /unknown BFCL API class "Nope"/.test(e.message));
});

test('method names are unique across classes and route to their class', () => {
  const routing = methodRouting();
  let total = 0;
  for (const ctor of Object.values(API_CLASSES)) if (ctor) total += new ctor().methodNames().length;
  assert.equal(routing.size, total);
  assert.equal(routing.get('mkdir'), 'GorillaFileSystem');
  assert.equal(routing.get('post_tweet'), 'TwitterAPI');
  const fs = createApi('GorillaFileSystem');
  const tw = createApi('TwitterAPI');
  assert.equal(routeMethod([fs, tw], 'retweet'), tw);
  assert.equal(routeMethod([fs, tw], 'send_message'), undefined);
  assert.equal(routeMethod([fs, tw], '_load_scenario'), undefined);
});

test('only documented methods are callable; private helpers and attributes are not', () => {
  const fs = createApi('GorillaFileSystem');
  for (const name of ['_navigate_to_directory', 'root', 'loadScenario', 'constructor', 'toString']) {
    assert.throws(
      () => fs.call(name),
      (e: unknown) => e instanceof PyException && e.pyType === 'AttributeError',
      name,
    );
  }
  const out = fs.invoke('_load_scenario');
  assert.ok(!out.ok);
  assert.equal(outcomeString(out), "Error during execution: 'GorillaFileSystem' object has no attribute '_load_scenario'");
});

test('createApi loads a deep copy of the scenario, so instances never share state', () => {
  const config = jsonLoads('{"TwitterAPI": {"following_list": ["a"]}}') as PyDict;
  const one = createApi('TwitterAPI', config);
  const two = createApi('TwitterAPI', config);
  one.call('authenticate_twitter', ['john', 'john123']);
  one.call('follow_user', ['b']);
  assert.deepEqual(one.snapshot().following_list, ['a', 'b']);
  assert.deepEqual(two.snapshot().following_list, ['a']);
  assert.deepEqual(canonicalSnapshot((config.get('TwitterAPI') as PyDict).get('following_list') ?? null), ['a']);
});

test('seeded classes draw from random.Random(seed) created at load; an instance never loaded uses the default seed', () => {
  // Per class: calls that draw from the generator, and what the draws show up in.
  const draws: Record<string, { calls: [string, PyValue[]][]; out: (api: ReturnType<typeof createApi>, results: string[]) => unknown }> = {
    MessageAPI: { calls: [['message_login', ['USR001']], ['send_message', ['USR002', 'a']], ['send_message', ['USR003', 'b']]], out: (api) => api.snapshot().generated_ids },
    TravelAPI: { calls: [['authenticate_travel', ['i', 's', 'r', 'g', 'A', 'B']]], out: (api) => api.snapshot().access_token },
    TradingBot: { calls: [['trading_login', ['u', 'p']], ['fund_account', [10n]], ['fund_account', [5n]]], out: (api) => api.snapshot().transaction_history },
    VehicleControlAPI: { calls: [['get_current_speed', []], ['get_outside_temperature_from_google', []]], out: (_api, results) => results },
  };
  const play = (api: ReturnType<typeof createApi>, name: string): unknown => {
    const spec = draws[name];
    assert.ok(spec);
    const results = spec.calls.map(([m, args]) => outcomeString(api.invoke(m, args)));
    return spec.out(api, results);
  };
  // SPEC §4: the first draws under each class's default seed.
  const firstDraws: Record<string, unknown> = {
    MessageAPI: [41772, 67410],
    TravelAPI: '251675',
    TradingBot: [
      { type: 'deposit', amount: 10, timestamp: '2024-09-02 05:40:15' },
      { type: 'deposit', amount: 5, timestamp: '2024-09-01 12:26:34' },
    ],
  };
  for (const name of Object.keys(draws)) {
    const loaded = createApi(name);
    const value = play(loaded, name);
    if (name in firstDraws) assert.deepEqual(value, firstDraws[name], `${name}: default seed`);
    assert.deepEqual(play(new (apiClass(name))(), name), value, `${name}: never loaded → default seed`);
    // Loading again makes a new generator, as upstream's _load_scenario does.
    loaded.loadScenario(new Map());
    assert.deepEqual(play(loaded, name), value, `${name}: reloaded → the generator starts over`);
    const seeded = (seed: PyValue): unknown => play(createApi(name, new Map([[name, new Map([['random_seed', seed]])]]) as PyDict), name);
    assert.notDeepEqual(seeded(7n), value, `${name}: random_seed is used`);
    // CPython seeds True as 1 and an integral float as its int; other seed types are refused by this port.
    assert.deepEqual(seeded(true), seeded(1n), `${name}: bool seed`);
    assert.deepEqual(seeded(7.0), seeded(7n), `${name}: integral float seed`);
    assert.throws(() => seeded('abc'), (e: unknown) => e instanceof PyException && e.pyType === 'TypeError' && /int seeds only, got str/.test(e.pyMessage), name);
  }
});

test('each class\'s unit tests call every documented method', () => {
  // One test file per class (upstream module name); each method must appear as a call there, so a
  // method added to a table without a test fails here.
  const testFiles: Record<BfclClassName, string> = {
    GorillaFileSystem: 'gorilla-file-system',
    MathAPI: 'math-api',
    MessageAPI: 'message-api',
    TwitterAPI: 'twitter-api',
    TicketAPI: 'ticket-api',
    TradingBot: 'trading-bot',
    TravelAPI: 'travel-api',
    VehicleControlAPI: 'vehicle-control',
  };
  let methods = 0;
  for (const name of BFCL_CLASSES) {
    const source = readFileSync(new URL(`./${testFiles[name]}.test.ts`, import.meta.url), 'utf8');
    const untested = createApi(name).methodNames().filter((m) => !new RegExp(`(^|[^\\w.])${m}\\(`).test(source) && !source.includes(`.call('${m}'`));
    assert.deepEqual(untested, [], `${name}: methods no test calls`);
    methods += createApi(name).methodNames().length;
  }
  assert.equal(methods, 129);
});

test('"today" is injectable and validated', () => {
  assert.equal(createApi('TravelAPI', new Map(), { today: '2030-01-02' }).today, '2030-01-02');
  assert.equal(createApi('TravelAPI').today, '2025-03-01');
  assert.throws(() => createApi('TravelAPI', new Map(), { today: '01/02/2030' }), /expected a date "YYYY-MM-DD"/);
});

interface SigParam {
  name: string;
  required: boolean;
  default?: unknown;
}
interface SigClass {
  public_state_attributes: string[];
  func_doc_file: string;
  methods: { name: string; params: SigParam[] }[];
}

test('method tables, signatures and state attributes match method_signatures.json and the func docs', (t) => {
  const dir = process.env.EXITGYM_DATA_DIR;
  if (!dir) return t.skip('EXITGYM_DATA_DIR not set');
  const sigs = JSON.parse(readFileSync(join(dir, 'bfcl', 'method_signatures.json'), 'utf8')) as {
    classes: Record<string, SigClass>;
  };
  let methods = 0;
  for (const name of BFCL_CLASSES) {
    const spec = sigs.classes[name];
    assert.ok(spec, name);
    const api = createApi(name);
    assert.deepEqual(api.methodNames(), spec.methods.map((m) => m.name), `${name} methods`);
    for (const m of spec.methods) {
      const params = api.signature(m.name) ?? [];
      assert.deepEqual(params.map((p) => p.name), m.params.map((p) => p.name), `${name}.${m.name} params`);
      for (const [i, p] of m.params.entries()) {
        const mine = params[i];
        assert.equal(mine?.default === undefined, p.required, `${name}.${m.name}(${p.name}) required`);
        if (!p.required && mine?.default) assert.deepEqual(canonicalSnapshot(mine.default()), p.default, `${name}.${m.name}(${p.name}) default`);
      }
      methods++;
    }
    assert.deepEqual(api.publicState().map(([k]) => k).sort(), [...spec.public_state_attributes].sort(), `${name} state`);
    const docs: string[] = readFileSync(join(dir, 'bfcl', spec.func_doc_file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { name: string }).name);
    assert.deepEqual([...docs].sort(), api.methodNames().sort(), `${name} func docs`);
  }
  assert.equal(methods, 129);
});
