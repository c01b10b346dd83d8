import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractCode } from './extract-code.js';

test('extractCode takes the python block out of prose', () => {
  assert.deepEqual(extractCode('Plan: fit a model.\n```python\nimport os\nprint(1)\n```\nDone.'), { ok: true, value: 'import os\nprint(1)\n' });
});

test('extractCode prefers the longest python block over short snippets', () => {
  const r = extractCode('```bash\npython solution.py\n```\n```python\nx = 1\ny = 2\nprint(x + y)\n```\n```python\nprint(3)\n```');
  assert.deepEqual(r, { ok: true, value: 'x = 1\ny = 2\nprint(x + y)\n' });
});

test('extractCode accepts untagged fences, CRLF line ends and an unclosed final fence', () => {
  assert.deepEqual(extractCode('```\nprint(1)\n```'), { ok: true, value: 'print(1)\n' });
  assert.deepEqual(extractCode('```python\r\nprint(2)\r\n```\r\n'), { ok: true, value: 'print(2)\n' });
  assert.deepEqual(extractCode('Here:\n```python\nprint(3)\nprint(4)'), { ok: true, value: 'print(3)\nprint(4)\n' });
});

test('extractCode reports a response without code', () => {
  const r = extractCode('I would train a gradient boosting model.');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /no code block/);
  assert.equal(extractCode('```python\n\n```').ok, false);
});
