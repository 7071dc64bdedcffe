import { InputError } from "../io/load.js";

/** intOption parses a whole-number flag, naming the flag when it is wrong. */
export function intOption(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InputError(`${flag} must be a whole number between ${min} and ${max}, got "${v}"`);
    return n;
  };
}

/** durationMsOption parses `500`, `500ms`, `30s` or `2m` into milliseconds. */
export function durationMsOption(flag: string): (v: string) => number {
  return (v: string) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
    if (!m) throw new InputError(`${flag} must be a duration like 500ms, 30s or 2m, got "${v}"`);
    const scale = m[2] === "s" ? 1000 : m[2] === "m" ? 60000 : 1;
    const ms = Math.round(Number(m[1]) * scale);
    if (ms < 1) throw new InputError(`${flag} must be at least 1 ms, got "${v}"`);
    return ms;
  };
}
