import type { XenCredit2Params } from "../../model/scheduler.js";
import { xenLightPart } from "./credit1.js";
import type { SchedulerCore } from "./scheduler-core.js";

/**
 * credit2Core: Xen credit2 (sim-fidelity section 2, E6).
 *
 * - No BOOST: a waker is inserted by credit and tickles the CPU whose runner has the lowest
 *   credit. A latency-sensitive vCPU burns little, so it carries near-maximal credit and beats a
 *   CPU-bound runner: runners do not block it for credit (blockShare 0) except through the rate
 *   limit, which holds a runner for its first ratelimitUs (a waker waits out the rest, uniform).
 * - A run segment is a burst capped by MAX_TIMER (the longest grant); a hog runs MAX_TIMER
 *   segments while others wait, so its share inside a fresh rate-limit window is rl / MAX_TIMER.
 * - A waker that still loses (a runner that has more credit, after a reset) waits at most until
 *   the runner's grant ends: MAX_TIMER.
 * - Two light vCPUs carry similar credit: a waking one beats a running one about half the time.
 */
export function credit2Core(p: XenCredit2Params, cores: number): SchedulerCore {
  const maxUs = p.maxTimerUs;
  const rl = Math.min(p.ratelimitUs, maxUs);
  const approximations: string[] = [];
  if (cores > p.maxCpusPerRunqueue) approximations.push(`${cores} cores span several credit2 run queues (${p.maxCpusPerRunqueue} CPUs each): balancing between them is not modelled`);
  return {
    name: "credit2",
    blockShare() {
      return 0;
    },
    rateLimitShare(b, hog) {
      if (rl === 0) return 0;
      const seg = hog ? maxUs : b * (1 - Math.exp(-maxUs / b));
      return Math.min(1, rl / seg);
    },
    rateLimitUs: rl,
    waitCapUs() {
      return maxUs;
    },
    // Tried (docs/accuracy.md, fourth round): it raised credit2's p90 on the calibration hosts.
    ownBurstQueue: false,
    lightPart: xenLightPart(0.5),
    lightBlock: 0.5,
    driftShare: 0,
    driftCapUs: 0,
    approximations,
  };
}
