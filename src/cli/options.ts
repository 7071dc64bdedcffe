import { InputError } from "../io/load.js";
import { OBJECTIVES, type Cluster, type Objective } from "../model/cluster.js";

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

/** percentOption parses `20%` or `20` into a number of percent within [min, max]. */
export function percentOption(flag: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    const m = /^(\d+(?:\.\d+)?)%?$/.exec(v.trim());
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= min && n <= max)) throw new InputError(`${flag} must be a percentage between ${min} and ${max}, like 20%, got "${v}"`);
    return n;
  };
}

/** PolicyFlags: the flags of plan and migrate that override the document's policy. */
export interface PolicyFlags {
  objective?: string;
  robust?: string;
  headroom?: number;
}

/** withPolicyFlags: the cluster with the policy fields the flags set (checked: InputError names the flag). */
export function withPolicyFlags(cluster: Cluster, f: PolicyFlags): Cluster {
  if (f.objective !== undefined && !(OBJECTIVES as readonly string[]).includes(f.objective))
    throw new InputError(`--objective must be one of ${OBJECTIVES.join(", ")}, got "${f.objective}"`);
  if (f.robust !== undefined && f.robust !== "n+1" && f.robust !== "none") throw new InputError(`--robust must be n+1 or none, got "${f.robust}"`);
  const policy = {
    ...cluster.policy,
    ...(f.objective !== undefined ? { objective: f.objective as Objective } : {}),
    ...(f.robust !== undefined ? { robustness: f.robust as "n+1" | "none" } : {}),
    ...(f.headroom !== undefined ? { headroomPercent: f.headroom } : {}),
  };
  return { ...cluster, policy };
}
