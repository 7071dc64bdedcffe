import type { TraceWorkload } from "../../model/workload.js";
import type { DutyCycle } from "./bursts.js";

/**
 * traceDuty turns a utilisation series into a duty cycle: interval i covers
 * [i·intervalSec, (i+1)·intervalSec) of trace time, and simulated time 0 sits at trace time
 * traceStartSec. Past the end the series wraps around (a day-long trace replays as the next day),
 * so any start and duration are valid.
 */
export function traceDuty(w: TraceWorkload, traceStartSec = 0): DutyCycle {
  const intervalUs = Math.max(1, Math.round(w.intervalSec * 1e6));
  const startUs = Math.round(traceStartSec * 1e6);
  const series = w.utilisationPercent;
  const indexAt = (tUs: number): number => Math.floor((startUs + tUs) / intervalUs);
  return {
    at(tUs) {
      const i = indexAt(tUs) % series.length;
      return series[i < 0 ? i + series.length : i] / 100;
    },
    nextChangeUs(tUs) {
      return (indexAt(tUs) + 1) * intervalUs - startUs;
    },
  };
}
