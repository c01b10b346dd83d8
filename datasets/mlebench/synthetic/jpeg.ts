/**
 * Baseline JPEG encoding through jpeg-js, with one encoder reused for every image. jpeg-js's
 * `encode()` builds a new encoder (Huffman and colour tables, ~16 ms) per call, which made 1,500
 * 32×32 thumbnails take 25 s; its encoder class is not exported, so we load the module source in
 * a function scope once and keep the class. Output bytes are identical to `jpeg.encode`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Encoder {
  encode(image: { data: Uint8Array; width: number; height: number }, quality: number): Uint8Array | number[];
}
type EncoderClass = new (quality: number) => Encoder;

let encoderClass: EncoderClass | undefined;
const encoders = new Map<number, Encoder>();

function loadEncoderClass(): EncoderClass {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('jpeg-js/lib/encoder.js'), 'utf8');
  // Trusted package source, evaluated once in a function scope to reach the unexported class.
  return new Function('module', 'exports', 'require', `${source}\nreturn JPEGEncoder;`)({ exports: {} }, {}, require) as EncoderClass;
}

/** Encodes RGBA pixels as a baseline JPEG at `quality` (1–100). */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality = 90): Uint8Array {
  encoderClass ??= loadEncoderClass();
  let encoder = encoders.get(quality);
  if (!encoder) {
    encoder = new encoderClass(quality);
    encoders.set(quality, encoder);
  }
  return Uint8Array.from(encoder.encode({ data: rgba, width, height }, quality));
}
