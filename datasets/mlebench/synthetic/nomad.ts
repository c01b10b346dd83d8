/** Synthetic nomad2018-predict-transparent-conductors (SPEC.md §6.4): composition → band gap, formation energy. */
import type { Rng } from '../../../core/rng.js';
import { clamp, normal, scaled, testCount, toCsv, type GeneratorInput, type SyntheticFiles } from './common.js';

const SPACEGROUPS = [12, 33, 167, 194, 206, 227] as const;
type Sg = (typeof SPACEGROUPS)[number];
const SG_WEIGHTS = [0.14, 0.16, 0.14, 0.23, 0.19, 0.14];
const ATOMS = [10, 20, 30, 40, 60, 80];
const ATOM_WEIGHTS = [0.04, 0.08, 0.08, 0.3, 0.15, 0.35];
const ANGLES: Record<Sg, [number, number, number]> = { 12: [90, 103.7, 90], 33: [90, 90, 90], 167: [90, 90, 120], 194: [90, 90, 120], 206: [90, 90, 90], 227: [60, 60, 60] };
const RATIOS: Record<Sg, [number, number, number]> = { 12: [2, 0.5, 1], 33: [1, 1.1, 0.9], 167: [1, 1, 1.6], 194: [1, 1, 1.6], 206: [1, 1, 1], 227: [1, 1, 1] };
const SG_BG: Record<Sg, number> = { 12: 0.1, 33: 0, 167: -0.1, 194: 0.05, 206: 0.2, 227: -0.25 };
const SG_FE: Record<Sg, number> = { 12: 0, 33: 0.02, 167: 0.03, 194: 0.01, 206: -0.02, 227: 0.06 };
export const NOMAD_FEATURES = ['spacegroup', 'number_of_total_atoms', 'percent_atom_al', 'percent_atom_ga', 'percent_atom_in', 'lattice_vector_1_ang', 'lattice_vector_2_ang', 'lattice_vector_3_ang', 'lattice_angle_alpha_degree', 'lattice_angle_beta_degree', 'lattice_angle_gamma_degree'];
const TARGETS = ['formation_energy_ev_natom', 'bandgap_energy_ev'];

interface Material {
  features: number[];
  formation: number;
  bandgap: number;
  geometry: string;
}

const rad = (d: number): number => (d * Math.PI) / 180;
const f4 = (x: number): number => Number(x.toFixed(4));

function cationCounts(rng: Rng, nc: number): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  const u = rng.next();
  if (u < 0.15) counts[rng.int(3)] = nc;
  else if (u < 0.6) {
    const [a, b] = rng.shuffle([0, 1, 2]) as [number, number, number];
    const k = 1 + rng.int(nc - 1);
    counts[a] = k;
    counts[b] = nc - k;
  } else {
    let c1 = 0;
    let c2 = 0;
    while (c1 === c2) {
      c1 = 1 + rng.int(nc - 1);
      c2 = 1 + rng.int(nc - 1);
    }
    const [lo, hi] = c1 < c2 ? [c1, c2] : [c2, c1];
    counts[0] = lo;
    counts[1] = hi - lo;
    counts[2] = nc - hi;
  }
  return counts;
}

function material(rng: Rng): Material {
  const sg = SPACEGROUPS[rng.weighted(SG_WEIGHTS)] as Sg;
  const nt = ATOMS[rng.weighted(ATOM_WEIGHTS)] as number;
  const nc = (2 * nt) / 5;
  const [al, ga, inn] = cationCounts(rng, nc).map((c) => c / nc) as [number, number, number];
  const va = 10.5 + 3.0 * inn + 1.2 * ga + normal(rng, 0, 0.3);
  const volume = va * nt;
  const angles = ANGLES[sg].map((a) => a + normal(rng, 0, a === 90 ? 0.02 : 0.3)) as [number, number, number];
  const ratios = RATIOS[sg].map((r) => r * Math.exp(normal(rng, 0, 0.05))) as [number, number, number];
  const [ca, cb, cg] = angles.map((a) => Math.cos(rad(a))) as [number, number, number];
  const shape = Math.sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
  const s = Math.cbrt(volume / (ratios[0] * ratios[1] * ratios[2] * shape));
  const [a, b, c] = ratios.map((r) => r * s) as [number, number, number];
  const bandgap = clamp(0.25 + 3.9 * al + 2.0 * ga + SG_BG[sg] - 0.9 * al * ga - 0.3 * (va - 12) + normal(rng, 0, 0.18), 0.0001, 5.5);
  const formation = Math.max(0, 0.07 + 0.45 * al * (1 - al) + 0.25 * inn * ga + 0.1 * al * inn + SG_FE[sg] + 0.015 * (nt === 80 ? 1 : 0) + normal(rng, 0, 0.035));
  // Lattice vectors in the standard orientation: a along x, b in the xy-plane.
  const sg_ = Math.sin(rad(angles[2]));
  const v1 = [a, 0, 0];
  const v2 = [b * cg, b * sg_, 0];
  const cx = c * cb;
  const cy = (c * (ca - cb * cg)) / sg_;
  const v3 = [cx, cy, Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy))];
  const fmt = (v: number[]): string => v.map((x) => x.toFixed(10)).join(' ');
  const lines = ['#=======================================================', '#Created using the Atomic Simulation Environment (ASE)', '#======================================================='];
  for (const v of [v1, v2, v3]) lines.push(`lattice_vector ${fmt(v)} `);
  const counts = [Math.round(al * nc), Math.round(ga * nc), Math.round(inn * nc), (3 * nt) / 5];
  ['Al', 'Ga', 'In', 'O'].forEach((el, e) => {
    for (let i = 0; i < (counts[e] as number); i++) {
      const [u, v, w] = [rng.next(), rng.next(), rng.next()];
      const p = [0, 1, 2].map((k) => u * (v1[k] as number) + v * (v2[k] as number) + w * (v3[k] as number));
      lines.push(`atom ${fmt(p)} ${el}`);
    }
  });
  return {
    features: [sg, nt, f4(al), f4(ga), f4(inn), f4(a), f4(b), f4(c), f4(angles[0]), f4(angles[1]), f4(angles[2])],
    formation: f4(formation),
    bandgap: f4(bandgap),
    geometry: `${lines.join('\n')}\n`,
  };
}

export function generateNomad({ rng, scale }: GeneratorInput): SyntheticFiles {
  const n = scaled(600, scale, 40);
  const all = rng.shuffle(Array.from({ length: n }, () => material(rng)));
  const nTest = testCount(n, 0.1);
  const test = all.slice(0, nTest);
  const train = all.slice(nTest);
  const files: SyntheticFiles = new Map();
  files.set('public/train.csv', toCsv(['id', ...NOMAD_FEATURES, ...TARGETS], train.map((m, i) => [i + 1, ...m.features, m.formation, m.bandgap])));
  files.set('public/test.csv', toCsv(['id', ...NOMAD_FEATURES], test.map((m, i) => [i + 1, ...m.features])));
  files.set('public/sample_submission.csv', toCsv(['id', ...TARGETS], test.map((_, i) => [i + 1, 0.1779, 1.8892])));
  files.set('private/test.csv', toCsv(['id', ...NOMAD_FEATURES, ...TARGETS], test.map((m, i) => [i + 1, ...m.features, m.formation, m.bandgap])));
  train.forEach((m, i) => files.set(`public/train/${i + 1}/geometry.xyz`, m.geometry));
  test.forEach((m, i) => files.set(`public/test/${i + 1}/geometry.xyz`, m.geometry));
  return files;
}
