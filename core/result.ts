/** A parse or check outcome that is data, not an exception (bad model output is normal). */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; reason: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E = string>(reason: E): { ok: false; reason: E } => ({ ok: false, reason });

/** Exhaustiveness guard: adding a union variant without handling it fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)} (this is a bug in exitgym; please report it)`);
}
