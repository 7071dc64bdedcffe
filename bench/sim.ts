import { ScenarioSchema, type Scenario } from "../src/model/scenario.js";
import { defaultScheduler } from "../src/model/scheduler.js";
import { EventQueue } from "../src/sim/event-queue.js";
import { createRng } from "../src/sim/rng.js";
import { runHost } from "../src/sim/run-host.js";
import { createScheduler } from "../src/sim/schedulers/registry.js";

const CORES = 16;
const SIMULATED_MS = 60_000;
/** Pending events in the bench scenario are about this many; the bare queue runs at this size. */
const QUEUE_SIZE = 128;
const QUEUE_OPS = 5_000_000;

/**
 * benchScenario: 16 pCPUs, 48 1-vCPU VMs: a third io (1,000 req/s, 50 µs), a third sleepy cpu
 * (d 0.5, 10 ms bursts), a third mixed (both), 60 s simulated, no warm-up.
 */
export function benchScenario(): Scenario {
  const io = { requestsPerSec: 1000, serviceUs: 50 };
  const cpu = { dutyCycle: 0.5, burstMs: 10 };
  const vms = Array.from({ length: 48 }, (_, i) => {
    const workload =
      i % 3 === 0 ? { kind: "io", ...io } : i % 3 === 1 ? { kind: "cpu", ...cpu } : { kind: "mixed", io, cpu };
    return { id: `vm-${i}`, vcpus: 1, memoryMiB: 2048, workload };
  });
  return ScenarioSchema.parse({
    host: { id: "bench-16", cores: CORES, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit" } },
    vms,
    durationMs: SIMULATED_MS,
    warmupMs: 0,
    seed: 42,
  });
}

/**
 * queuePairsPerSec is the bare event queue's rate in push+pop pairs per second at a steady size,
 * with the times a simulation produces (now + an exponential delay), so the simulator's events/s
 * can be compared with the most it could reach.
 */
export function queuePairsPerSec(size = QUEUE_SIZE, ops = QUEUE_OPS): number {
  const q = new EventQueue();
  const rng = createRng(1, "bench-queue");
  let sink = 0;
  const fn = (arg: number): void => {
    sink += arg;
  };
  for (let i = 0; i < size; i++) q.push(Math.round(rng.exp(1000)), i % 3, fn, i);
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const t = q.topTimeUs();
    q.topFn()(q.topArg());
    q.removeTop();
    q.push(t + Math.round(rng.exp(1000)), i % 3, fn, i);
  }
  const sec = (performance.now() - t0) / 1000;
  if (sink < 0) console.log(sink); // keep the handler calls observable
  return ops / sec;
}

export async function benchSim(): Promise<void> {
  const scenario = benchScenario();
  const policy = createScheduler(defaultScheduler("xen-credit"), CORES);
  const t0 = performance.now();
  const result = runHost(scenario, policy);
  const wallSec = (performance.now() - t0) / 1000;
  const eventsPerSec = result.eventsProcessed / wallSec;
  const pairsPerSec = queuePairsPerSec();
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const line = (k: string, v: string): void => console.log(`sim  ${k.padEnd(34)} ${v}`);
  line("policy", policy.kind);
  line("scenario", `${CORES} pCPUs, ${scenario.vms.length} VMs, ${SIMULATED_MS / 1000} s simulated`);
  line("wall time", `${wallSec.toFixed(2)} s`);
  line("events processed", `${result.eventsProcessed}`);
  line("events/s", fmt(eventsPerSec));
  line("simulated s per wall s", (SIMULATED_MS / 1000 / wallSec).toFixed(1));
  line("host utilisation", result.utilisation.toFixed(3));
  line(`bare queue push+pop/s (size ${QUEUE_SIZE})`, fmt(pairsPerSec));
  line("simulator / bare queue", `${(eventsPerSec / pairsPerSec).toFixed(3)} (goal >= 0.25)`);
  line("peak RSS", `${rssMiB.toFixed(0)} MiB`);
  line("heap used", `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
}

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`;
}
