/**
 * The training report in a real browser: `exitgym report` on a fixture run, the page opened in
 * Debian's headless Chromium (through playwright-core) with the network cut off, then every chart
 * checked twice: in the DOM (its SVG has line marks with a non-zero box) and in a screenshot (the
 * chart's region holds coloured pixels, i.e. the data lines were painted, not only grey axes).
 * Skips in one line where Chromium is not installed (`scripts/setup-system.sh` installs it for CI).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { chromium } from 'playwright-core';
import { main } from '../../cli/main.js';
import { captureIo } from '../fixtures/cli-io.js';
import { FIXTURE_CHARTS, writeTrainingRun } from '../fixtures/training-run.js';

const CHROMIUM = process.env.EXITGYM_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface ChartBox {
  id: string;
  /** Page coordinates of the figure. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Line marks with a non-zero bounding box, and all line marks. */
  /** How tall the chart is drawn: a chart squeezed into its box would be unreadable. */
  svgHeight: number;
  visibleLines: number;
  lines: number;
  title: string;
}

/** The DOM members the in-page check uses (the project compiles without lib.dom). */
interface DomNode {
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  getBBox(): { width: number; height: number };
  textContent: string | null;
}

/** Pixels in a box whose colour is clearly not grey (axes, text and background are grey). */
function colouredPixels(img: { width: number; height: number; data: Uint8Array }, box: { x: number; y: number; width: number; height: number }): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(img.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(img.width, box.x + box.width); x++) {
      const i = 4 * (y * img.width + x);
      const r = img.data[i] as number;
      const g = img.data[i + 1] as number;
      const b = img.data[i + 2] as number;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
  }
  return n;
}

test('the report renders every chart in headless Chromium, offline', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} not installed (scripts/setup-system.sh installs Debian's chromium)`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'exitgym-report-browser-'));
  await writeTrainingRun(dir);
  const io = captureIo();
  assert.equal(await main(['report', dir], io.io), 0, io.err.join('\n'));

  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 1,
  });
  try {
    const requests: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });

    const charts = await page.evaluate((): ChartBox[] => {
      // The project type-checks without the DOM library; these are the few DOM members used here.
      const { document, scrollX, scrollY } = globalThis as unknown as { document: DomNode; scrollX: number; scrollY: number };
      return Array.from(document.querySelectorAll('figure.chart')).map((fig) => {
        const r = fig.getBoundingClientRect();
        const lines = Array.from(fig.querySelectorAll('svg path[aria-roledescription="line mark"]'));
        const visible = lines.filter((p) => {
          const b = p.getBBox();
          return b.width > 0 && p.getBoundingClientRect().width > 0;
        });
        return {
          id: fig.getAttribute('data-panel') ?? '',
          svgHeight: fig.querySelector('svg')?.getBoundingClientRect().height ?? 0,
          x: r.left + scrollX,
          y: r.top + scrollY,
          width: r.width,
          height: r.height,
          visibleLines: visible.length,
          lines: lines.length,
          title: fig.querySelector('svg [aria-roledescription="title"] text')?.textContent ?? '',
        };
      });
    });
    const declared = await page.getAttribute('meta[name="exitgym-charts"]', 'content');

    assert.equal(charts.length, FIXTURE_CHARTS, `charts: ${charts.map((c) => c.id).join(', ')}`);
    assert.equal(Number(declared), FIXTURE_CHARTS);
    for (const c of charts) {
      assert.ok(c.width > 300 && c.svgHeight > 220, `${c.id}: figure is ${c.width} wide, its chart ${c.svgHeight} tall`);
      assert.ok(c.lines > 0 && c.visibleLines === c.lines, `${c.id}: ${c.visibleLines} of ${c.lines} line marks have a box`);
      assert.ok(c.title.length > 0, `${c.id}: no title`);
    }

    const shot = await page.screenshot({ fullPage: true, type: 'jpeg', quality: 92 });
    const img = jpeg.decode(shot, { useTArray: true, formatAsRGBA: true });
    const pngPath = join(dir, 'report.png');
    await writeFile(pngPath, await page.screenshot({ fullPage: true }));
    t.diagnostic(`screenshot: ${pngPath}`);
    // The measure tells paint from blank: the page header (text only) has next to no coloured pixels.
    assert.ok(colouredPixels(img, { x: 0, y: 0, width: img.width, height: 40 }) < 20);
    const painted = charts.map((c) => ({ id: c.id, n: colouredPixels(img, c) }));
    for (const { id, n } of painted) assert.ok(n > 300, `${id}: only ${n} coloured pixels in its screenshot region`);
    t.diagnostic(`coloured pixels per chart: min ${Math.min(...painted.map((p) => p.n))}, max ${Math.max(...painted.map((p) => p.n))}; chart heights ${Math.min(...charts.map((c) => c.svgHeight))}–${Math.max(...charts.map((c) => c.svgHeight))} px`);
    assert.deepEqual(requests, [], 'the page requested something over the network');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
