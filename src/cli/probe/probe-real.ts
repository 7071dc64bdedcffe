import { expectedFromLadder, ladderJobs } from "../../interference/probe/recommend.js";
import { assess } from "../../interference/probe/simulate-probe.js";
import type { FailOn } from "../../interference/probe/verdict.js";
import type { ProbeParams, ProbeReport } from "../../model/probe.js";
import { inlineRunner } from "../../sim/runner.js";
import { progress } from "../progress.js";
import { runRealProbe } from "../../runtime/probe-run.js";

/**
 * probeReal runs the probe on this instance and reports it. When the verdict is not GOOD, the
 * expected gain of replacing the instance comes from simulation (the ladder in recommend.ts),
 * run after the probe so that it cannot disturb the measurement.
 */
export async function probeReal(p: ProbeParams, failOn: FailOn): Promise<ProbeReport> {
  const bar = progress("probing");
  let run;
  try {
    run = await runRealProbe(p, (fraction) => bar.update(fraction));
  } finally {
    bar.done();
  }
  const first = assess(run.oversleep, run.elapsedMs, p, run.complete, failOn, null);
  if (first.verdict === "GOOD") return { ...first, mode: "real", overhead: run.overhead, neighbourhood: null };
  const ladder = progress("simulating neighbourhoods like this one");
  try {
    const results = await inlineRunner.runAll(ladderJobs(p), (d, t) => ladder.update(d / t));
    const expected = expectedFromLadder(first.normalised.per100s, results);
    const report = assess(run.oversleep, run.elapsedMs, p, run.complete, failOn, expected);
    return { ...report, mode: "real", overhead: run.overhead, neighbourhood: null };
  } finally {
    ladder.done();
  }
}
