import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { OVER_SHARE } from "../../../src/interference/core/credit1.js";
import { defaultScheduler, type XenCreditParams } from "../../../src/model/scheduler.js";

/**
 * credit1's overShare (Mechanisms.credit1OverSleepy) was made cheaper in session 24 without moving
 * an answer (docs/accuracy.md, "What-if cost of session 23's terms"): a three-log bound answers
 * false before the fluid queue where both shares are far under OVER_SHARE_MIN, the queue finds
 * each log once, logSum skips e^0, and (1 - s)^ticks is kept in a table by the base's bits. This
 * checks it, answer and shares bit for bit, against the queue as session 23 wrote it (reference
 * below, copied from credit1.ts at 9a29a87) on inputs across and past the placer's ranges.
 */

const OVER_SHARE_MIN = 0.01;

function logGrow(z: number, u: number): number {
  const x = z * u;
  if (Math.abs(x) < 1e-9) return Math.log(u);
  return x > 0 ? x + Math.log(-Math.expm1(-x) / z) : Math.log(-Math.expm1(x) / -z);
}

function logSum(a: number, b: number): number {
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** reference: session 23's overShareOf, its answer and [P(deep OVER | running), P(OVER | waking)]. */
function reference(tsliceUs: number, cores: number, ticks: number, args: readonly number[]): [boolean, number, number] {
  const [duty, burstUs, steady, sleepers, sleeperDuty, lightLoad, waitUnder, waitOver] = args;
  const active = steady + sleepers * (1 - (1 - Math.min(1, sleeperDuty)) ** ticks) + ticks * Math.max(0, lightLoad);
  if (!(active > 0) || !(duty > 0) || !(duty < 1) || !(burstUs > 0)) return [false, 0, 0];
  const f = Math.min(1, cores / active);
  const runUnder = 1 - Math.min(1, Math.max(0, waitUnder));
  const under = runUnder - f;
  const over = runUnder - Math.min(1, Math.max(0, waitOver)) - f;
  if (!(under > 0) || !(over > 0)) return [false, 0, 0];
  const end = 1 / burstUs;
  const start = duty / ((1 - duty) * burstUs);
  const zOver = end / over - start / f;
  const zUnder = end / under - start / f;
  const kUnder = Math.log(over / under) + zOver * tsliceUs;
  const lowRun = logSum(logGrow(zOver, tsliceUs), Math.log(over / end));
  const lowSleep = Math.log(over / f) + logGrow(zOver, tsliceUs);
  const deepRun = logSum(logGrow(zOver, under * tsliceUs), Math.log(over / end));
  const up = logGrow(zUnder, tsliceUs) + kUnder;
  const total = logSum(logSum(lowRun, lowSleep), logSum(logSum(up, up + Math.log(under / f)), kUnder + Math.log(under / start) + zUnder * tsliceUs));
  const s0 = Math.min(1, Math.exp(deepRun - total) / duty);
  const s1 = Math.min(1, Math.exp(lowSleep - total) / (1 - duty));
  return [s0 >= OVER_SHARE_MIN || s1 >= OVER_SHARE_MIN, s0, s1];
}

/** A fixed linear congruential draw (the test is the same every run). */
function draws(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("credit1 overShare, made cheaper in session 24, answers as session 23's queue", () => {
  test("answer and shares bit for bit on 200,000 drawn inputs (the bound answers many of them, the queue the rest)", () => {
    const rnd = draws(24);
    const logUniform = (lo: number, hi: number): number => lo * Math.pow(hi / lo, rnd());
    const cores = [1, 2, 4, 8, 16, 32, 64];
    const slicesMs = [1, 2, 5, 10, 30];
    const hooks = new Map<string, NonNullable<ReturnType<typeof coreFor>["overWait"]>>();
    let trues = 0;
    let farUnder = 0;
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      const ms = slicesMs[Math.floor(rnd() * slicesMs.length)];
      const c = cores[Math.floor(rnd() * cores.length)];
      const key = `${ms}/${c}`;
      let ow = hooks.get(key);
      if (ow === undefined) {
        const p = { ...(defaultScheduler("xen-credit") as XenCreditParams), timesliceMs: ms };
        ow = coreFor(p, c, ALL_MECHANISMS).overWait!;
        hooks.set(key, ow);
      }
      const tsliceUs = ms * 1000;
      // As credit1Core finds it (tslice over a third of it: not always exactly 3).
      const ticks = ms < 3 ? 1 : tsliceUs / (tsliceUs / 3);
      const edge = rnd() < 0.02;
      const duty = edge ? [0, 1, 1e-12, 1 - 1e-12][Math.floor(rnd() * 4)] : rnd();
      // Sleepers' duty repeats (the placer's bases do), so the pow table is both hit and missed.
      const sleeperDuty = rnd() < 0.5 ? [0.3, 0.55, 1, 1.1][Math.floor(rnd() * 4)] : rnd() * 1.2;
      const args = [duty, logUniform(1, 1e7), rnd() * 20, Math.floor(rnd() * 40), sleeperDuty, rnd() * 10, rnd() * 1.2 - 0.1, rnd() < 0.5 ? 0 : rnd() * 1.2 - 0.1];
      const [ok, s0, s1] = reference(tsliceUs, c, ticks, args);
      const got = ow.overShare!(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
      n++;
      if (ok) trues++;
      else if (s0 > 0 && s0 < OVER_SHARE_MIN / 1000 && s1 < OVER_SHARE_MIN / 1000) farUnder++;
      expect(got).toBe(ok);
      if (ok) {
        expect(Object.is(OVER_SHARE[0], s0)).toBe(true);
        expect(Object.is(OVER_SHARE[1], s1)).toBe(true);
      }
    }
    // The draw reaches both answers, and shares far under the least (where the bound answers).
    expect(n).toBe(200_000);
    expect(trues).toBeGreaterThan(10_000);
    expect(farUnder).toBeGreaterThan(5_000);
  });
});
