import type { HostSimResult } from "../model/scenario.js";

// JSON.stringify turns -0 into 0 and NaN or ±Infinity into null. A result that crosses Redis must
// come back as the worker thread would have handed it over (structured clone keeps all four), or
// a later computation on it could differ from a local run; so those four travel as tagged strings.
const TAG = "\u0000num:";
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ["-0", -0],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
]);

function replacer(_key: string, v: unknown): unknown {
  if (typeof v !== "number" || (Number.isFinite(v) && !Object.is(v, -0))) return v;
  return `${TAG}${Object.is(v, -0) ? "-0" : String(v)}`;
}

function reviver(_key: string, v: unknown): unknown {
  return typeof v === "string" && v.startsWith(TAG) ? SPECIAL.get(v.slice(TAG.length)) : v;
}

/** encodeResult: a host's simulation result as text, losslessly. */
export function encodeResult(r: HostSimResult): string {
  return JSON.stringify(r, replacer);
}

/** decodeResult reverses encodeResult. */
export function decodeResult(text: string): HostSimResult {
  return JSON.parse(text, reviver) as HostSimResult;
}
