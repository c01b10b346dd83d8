import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { extract } from './extract.js';
import { clearGoldCache, goldResponse, isEquivalent, verify } from './verify.js';

interface Case { category: string; gold: string; pred: string; expected: boolean; note?: string }
const cases = readFileSync(new URL('../../test/fixtures/math/verify-cases.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Case);

test('the case file covers every VERIFY.md category with ≥ 300 cases, and passes at ≥ 99 %', () => {
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  const categories = new Set(cases.map((c) => c.category.split('-')[0]));
  for (const c of ['extract', 'frac', 'root', 'pi', 'exp', 'leftright', 'text', 'units', 'degrees', 'percent', 'thousands', 'dfrac', 'mixed', 'rational', 'symbolic', 'tuple', 'set', 'interval', 'inequality', 'equation', 'matrix', 'multiple']) {
    assert.ok(categories.has(c), `no case in category ${c}`);
  }
  const failures = cases.filter((c) => verify(c.gold, c.pred).correct !== c.expected);
  const rate = 1 - failures.length / cases.length;
  assert.ok(rate >= 0.99, `pass rate ${(rate * 100).toFixed(1)} %; failing: ${failures.map((f) => `${f.category}: ${f.gold} vs ${f.pred}`).join('; ')}`);
});

test('a gold parsed once gives the same verdicts again (the gold cache changes no verdict)', () => {
  clearGoldCache();
  const first = cases.map((c) => verify(c.gold, c.pred));
  const again = cases.map((c) => verify(c.gold, c.pred));
  assert.deepEqual(
    again.map(({ correct, extracted, gold, reason }) => ({ correct, extracted, gold, reason })),
    first.map(({ correct, extracted, gold, reason }) => ({ correct, extracted, gold, reason })),
  );
  // A gold that does not parse stays so; the same gold against other answers is still graded on them.
  assert.equal(verify('\\frac{', '\\boxed{1}').reason, 'gold did not parse');
  assert.equal(verify('\\frac{', '\\boxed{1}').reason, 'gold did not parse');
  assert.equal(verify('7', '\\boxed{7}').correct, true);
  assert.equal(verify('7', '\\boxed{8}').correct, false);
});

test('verdicts carry the extracted answer and the reason', () => {
  assert.deepEqual(
    (({ correct, extracted, reason }) => ({ correct, extracted, reason }))(verify('\\frac{1}{2}', 'so the answer is $\\boxed{0.5}$')),
    { correct: true, extracted: '0.5', reason: 'equal' },
  );
  assert.equal(verify('5', 'no idea').reason, 'no answer found');
  assert.equal(verify('5', '\\boxed{6}').reason, 'not equal');
  assert.equal(verify('5', '\\boxed{\\frac{}{}}').correct, false);
});

test('any of several accepted gold forms counts (Minerva)', () => {
  assert.equal(verify(['4.5e33', '4.5 \\times 10^{33}'], '\\boxed{4.5 \\times 10^{33}}').correct, true);
  assert.equal(verify(['1', '2'], '\\boxed{2}').gold, '2');
});

test('extraction tiers: final-answer sign-off, then boxed, then answer:, then anywhere (rightmost first)', () => {
  const text = 'Answer: 3. Also \\boxed{4}. The final answer is $5$. I hope it is correct.';
  const cands = extract(text);
  assert.deepEqual([cands[0]?.text, cands[0]?.tier], ['5', 0]);
  assert.ok(cands.filter((c) => c.tier === 50).some((c) => c.text === '4'));
  assert.equal(cands.find((c) => c.tier === 100)?.text, '3');
  assert.equal(extract('1 then 2 then 3')[0]?.text, '3');
});

test('never throws on hostile text; pathological input ends as "not equal" within the time limit', () => {
  const hostile = ['\\boxed{', '}}}}', '\\frac{\\frac{\\frac{', '$'.repeat(5000), '\\boxed{' + '('.repeat(3000) + '}', '\u0000\u0001', '\\boxed{2^{2^{2^{2^{1000}}}}}', '\\boxed{10^{10^{10}}!}', '\\boxed{\\sqrt{' + 'x+'.repeat(400) + '1}}',
    // Closed forms and matrix expressions (evaluated since issue 16): nested sums, integrals, chained products.
    '\\boxed{\\sum_{i=1}^{4000}\\sum_{j=1}^{4000}\\sum_{k=1}^{4000} ijk}', '\\boxed{\\int_0^1\\int_0^1\\int_0^1 \\sin(xyz)\\,dx\\,dy\\,dz}',
    '\\boxed{\\sum_{k=1}^{4000} k!}', `\\boxed{${'\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}'.repeat(20)}}`, '\\boxed{[0,\\sum_{i=1}^{4000}\\sum_{j=1}^{4000} ij]\\setminus\\{1\\}}',
    // A range written backwards (Karr's convention flips it), infinite ranges, a limit of closed forms.
    '\\boxed{\\sum_{k=1}^{-10^{12}} k}', '\\boxed{\\int_{-\\infty}^{\\infty}\\int_{-\\infty}^{\\infty} e^{-x^2-y^2}\\,dx\\,dy}', '\\boxed{\\lim_{n\\to\\infty}\\sum_{k=1}^{4000}\\int_0^1 \\frac{k}{n+x}\\,dx}'];
  for (const h of hostile) {
    const t0 = Date.now();
    const v = verify('5', h, { timeoutMs: 500 });
    assert.equal(v.correct, false, h.slice(0, 40));
    assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms on ${h.slice(0, 40)}`);
  }
  const long = Array.from({ length: 3000 }, (_, k) => `$${k}+x^{${k}}$`).join(' ');
  const t0 = Date.now();
  const v = verify('1', long + ' \\boxed{1}', { timeoutMs: 300 });
  assert.ok(Date.now() - t0 < 1500);
  assert.equal(v.correct, true);
  assert.equal(verify('2^{2^{100}}', '\\boxed{2^{2^{100}}}', { timeoutMs: 300 }).ms < 1000, true);
});

test('work past the per-call limit ends as "not equal" with reason "time limit"', () => {
  // 40 deep expressions: each takes well over 1 ms to parse and compare.
  const response = Array.from({ length: 40 }, (_, k) => `$${'(1+'.repeat(100)}${k}${')'.repeat(100)}$`).join(' ');
  const v = verify('7', response, { timeoutMs: 1 });
  assert.equal(v.correct, false);
  assert.equal(v.reason, 'time limit (1 ms)');
  assert.ok(v.ms < 1000, `stopped after ${v.ms} ms`);
});

test('the first check of a process is not lost to the time limit while the LaTeX engine starts', () => {
  const script = fileURLToPath(new URL('../../test/fixtures/math/cold-verify.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  const v = JSON.parse(out) as { correct: boolean; reason: string };
  assert.deepEqual([v.correct, v.reason], [true, 'equal']);
});

test('a gold that is already boxed is not boxed again', () => {
  assert.equal(goldResponse('\\boxed{840}'), '\\boxed{840}');
  assert.equal(goldResponse('840'), '\\boxed{840}');
  assert.equal(goldResponse('$840$'), '$840$');
  assert.equal(verify('Thus \\boxed{840}. **Final Answer** \\boxed{840}', '$840$').correct, true);
});

test('isEquivalent compares two bare answers', () => {
  assert.equal(isEquivalent('\\frac{1}{2}', '0.5'), true);
  assert.equal(isEquivalent('(1,2)', '( 1 , 2 )'), true);
  assert.equal(isEquivalent('(1,2)', '[1,2]'), false);
});
