import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSeconds, Progress } from './progress.js';

test('the progress line shows count, percent, rate, ETA and the status; off a TTY it prints every 10 %', () => {
  let clock = 1_000_000;
  const lines: string[] = [];
  const p = new Progress('eval math/math500', 40, (t) => lines.push(t), false, () => clock);
  for (let i = 1; i <= 40; i++) {
    clock += 500; // 2 units per second
    p.tick(1, `acc@0 ${i}%`);
  }
  assert.equal(lines.length, 11, 'at 2.5 %, then every 10 %, then at 100 %');
  assert.equal(lines[0], 'eval math/math500 [#.......................] 1/40 2% 2.00/s ETA 20s acc@0 1%\n');
  assert.equal(lines[4], 'eval math/math500 [##########..............] 17/40 42% 2.00/s ETA 12s acc@0 17%\n');
  assert.equal(lines[10], 'eval math/math500 [########################] 40/40 100% 2.00/s ETA 0s acc@0 40%\n');
});

test('a resumed run counts only the new work in its rate and ETA', () => {
  let clock = 0;
  const lines: string[] = [];
  const p = new Progress('eval', 100, (t) => lines.push(t), true, () => clock);
  p.setDone(90);
  clock += 10_000;
  p.tick(5, '');
  // 5 units in 10 s = 0.5/s, so 5 left take 10 s (not 90 + 5 units in 10 s = 9.5/s).
  assert.equal(lines.at(-1), '\r\x1b[Keval [#######################.] 95/100 95% 0.50/s ETA 10s');
});

test('formatSeconds', () => {
  assert.deepEqual([formatSeconds(Infinity), formatSeconds(42.4), formatSeconds(125), formatSeconds(3 * 3600 + 5 * 60)], ['--', '42s', '2m05s', '3h05m']);
});
