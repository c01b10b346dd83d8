import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UnknownIdError } from '../../../core/errors.js';
import { PyException } from '../python/errors.js';
import { jsonLoads } from '../python/json.js';
import { canonicalSnapshot } from '../python/snapshot.js';
import type { PyDict } from '../python/value.js';
import {
  API_CLASSES,
  BFCL_CLASS_NAMES,
  apiClass,
  createApi,
  methodRouting,
  missingClasses,
  outcomeString,
  routeMethod,
} from './index.js';

test('all eight classes are registered and construct with their upstream class names', () => {
  assert.deepEqual(missingClasses(), []);
  for (const name of BFCL_CLASS_NAMES) assert.equal(new (apiClass(name))().className, name);
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
  for (const name of BFCL_CLASS_NAMES) {
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
