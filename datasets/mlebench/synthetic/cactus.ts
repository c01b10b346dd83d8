/** Synthetic aerial-cactus-identification (SPEC.md §6.6): 32×32 JPEG thumbnails, cacti as soft green bars. */
import type { Rng } from '../../../core/rng.js';
import { encodeJpeg } from './jpeg.js';
import { HEX, clamp, normal, poisson, randomString, scaled, testCount, toCsv, uniform, unique, zip, type GeneratorInput, type SyntheticFiles } from './common.js';

const S = 32;

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0, 1);
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function image(rng: Rng, cactus: boolean): Uint8Array {
  const px = new Float64Array(S * S * 3);
  const base = [150, 135, 105].map((c) => c + normal(rng, 0, 15));
  // Smooth terrain: a 6×6 noise grid, bilinearly upsampled, added to every channel.
  const grid = Array.from({ length: 36 }, () => normal(rng, 0, 25));
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const gx = (x / (S - 1)) * 5;
      const gy = (y / (S - 1)) * 5;
      const x0 = Math.min(4, Math.floor(gx));
      const y0 = Math.min(4, Math.floor(gy));
      const fx = gx - x0;
      const fy = gy - y0;
      const g = (i: number, j: number): number => grid[j * 6 + i] as number;
      const terrain = (1 - fx) * (1 - fy) * g(x0, y0) + fx * (1 - fy) * g(x0 + 1, y0) + (1 - fx) * fy * g(x0, y0 + 1) + fx * fy * g(x0 + 1, y0 + 1);
      for (let c = 0; c < 3; c++) px[(y * S + x) * 3 + c] = (base[c] as number) + terrain;
    }
  }
  const shrubs = poisson(rng, 2.5);
  for (let k = 0; k < shrubs; k++) {
    const cx = uniform(rng, 0, S);
    const cy = uniform(rng, 0, S);
    const r = uniform(rng, 1.5, 4);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        if (Math.hypot(x - cx, y - cy) > r) continue;
        [60, 90, 50].forEach((v, c) => {
          const i = (y * S + x) * 3 + c;
          px[i] = 0.6 * (px[i] as number) + 0.4 * v;
        });
      }
    }
  }
  const cacti = cactus ? (rng.bool(0.3) ? 2 : 1) : 0;
  for (let k = 0; k < cacti; k++) {
    const cx = uniform(rng, 4, 28);
    const cy = uniform(rng, 6, 26);
    const len = uniform(rng, 8, 22);
    const width = uniform(rng, 1.5, 3);
    const angle = (normal(rng, 0, 12) * Math.PI) / 180;
    const contrast = uniform(rng, 0.2, 0.8);
    const dx = (Math.sin(angle) * len) / 2;
    const dy = (Math.cos(angle) * len) / 2;
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const m = clamp(1 - (segmentDistance(x, y, cx - dx, cy - dy, cx + dx, cy + dy) - width / 2), 0, 1);
        if (m === 0) continue;
        [70, 105, 60].forEach((v, c) => {
          const i = (y * S + x) * 3 + c;
          px[i] = (px[i] as number) * (1 - contrast * m) + v * contrast * m;
        });
      }
    }
  }
  const rgba = new Uint8Array(S * S * 4);
  for (let p = 0; p < S * S; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(clamp((px[p * 3 + c] as number) + normal(rng, 0, 8), 0, 255));
    rgba[p * 4 + 3] = 255;
  }
  return encodeJpeg(rgba, S, S, 90);
}

export function generateCactus({ rng, scale }: GeneratorInput): SyntheticFiles {
  const n = scaled(1500, scale, 60);
  const ids = new Set<string>();
  const rows = Array.from({ length: n }, () => {
    const label = rng.bool(0.75);
    return { id: `${unique(ids, () => randomString(rng, HEX, 32))}.jpg`, label, jpg: image(rng, label) };
  });
  const order = rng.shuffle(rows);
  const nTest = testCount(n, 0.19);
  const test = order.slice(0, nTest);
  const train = order.slice(nTest);
  const files: SyntheticFiles = new Map();
  files.set('public/train.csv', toCsv(['id', 'has_cactus'], train.map((r) => [r.id, r.label ? 1 : 0])));
  files.set('public/sample_submission.csv', toCsv(['id', 'has_cactus'], test.map((r) => [r.id, 0.5])));
  files.set('public/train.zip', zip(Object.fromEntries(train.map((r) => [r.id, r.jpg]))));
  files.set('public/test.zip', zip(Object.fromEntries(test.map((r) => [r.id, r.jpg]))));
  files.set('private/test.csv', toCsv(['id', 'has_cactus'], test.map((r) => [r.id, r.label ? 1 : 0])));
  return files;
}
