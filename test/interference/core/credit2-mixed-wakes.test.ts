import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { profileVm } from "../../../src/interference/profile.js";
import { defaultScheduler, type XenCredit2Params } from "../../../src/model/scheduler.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

// Mechanisms.credit2MixedWakes (docs/accuracy.md, "credit2's grant-end waits beside a mixed VM's
// request wakes (session 25)"): a mixed VM's vCPU woken by a request outside its bursts preempts
// a runner and, when it blocks after serving, its pCPU re-picks, a fresh rate-limit window there.
// An io-only waker that finds every runner inside its window tickles nobody and waits for a grant
// end or a block (the grant-end term). Those wakes were left out of the term's fresh windows,
// which counted the io-only vCPUs' alone; where CPU-bound vCPUs outnumber the cores the term now
// counts them too. "With it" is the shipped set (ALL_MECHANISMS), so switching the flag off there
// fails these tests.
const ON = { credit2MixedWakes: true };
const OFF = { credit2MixedWakes: false };
const SEEDS = [7, 8];
const credit2 = defaultScheduler("xen-credit2") as XenCredit2Params;

describe("credit2: a mixed VM's request wakes leave fresh rate-limit windows", () => {
  test("on in the shipped mechanisms, on credit2's grant-end shape only", () => {
    expect(ALL_MECHANISMS.credit2MixedWakes).toBe(true);
    expect(coreFor(credit2, 4).grantMixedWakes).toBe(true);
    expect(coreFor(credit2, 4, { ...ALL_MECHANISMS, ...OFF }).grantMixedWakes).toBeUndefined();
    expect(coreFor(credit2, 4, { ...ALL_MECHANISMS, grantShape: false }).grantMixedWakes).toBeUndefined();
    for (const k of ["xen-credit", "kvm-cfs", "kvm-eevdf"] as const) expect(coreFor(defaultScheduler(k), 4).grantMixedWakes, k).toBeUndefined();
  });

  test("a mixed VM's part carries its request wakes outside its bursts; a CPU-only VM's none", () => {
    const mixed = profileVm({ id: "m", vcpus: 1, memoryMiB: 1024, weight: 256, capPercent: 0, cpuWeight: 100, labels: {}, workload: { kind: "mixed", io: { requestsPerSec: 1000, serviceUs: 50, arrival: "poisson" }, cpu: { dutyCycle: 0.3, burstMs: 10, burstDistribution: "exponential" } } });
    // duty is the bursts' 0.3 plus the requests' 0.05: the rest of the time a request wakes it.
    expect(mixed.cpu?.ioWakesUs).toBeCloseTo((1000 / 1e6) * (1 - 0.35), 12);
    const cpu = profileVm({ id: "c", vcpus: 1, memoryMiB: 1024, weight: 256, capPercent: 0, cpuWeight: 100, labels: {}, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10, burstDistribution: "exponential" } });
    expect(cpu.cpu?.ioWakesUs).toBeUndefined();
  });

  // 4 cores, 7 CPU-bound vCPUs (a 2-vCPU mixed victim at 1,740/s among them), the io victim
  // 479/s x 93 µs: at 58% of its wakes that find every core held all four runners are inside
  // their rate limit, most windows begun at the mixed vCPUs' blocks; p99.9 3.1-3.2 ms (seeds 7, 8,
  // 20 s). Without the term 1.7 ms.
  test("holdout-32 contended-credit2/10213/1 victim-1: from under by over 0.5 to within 0.25 of the simulator", () => {
    const s = roundHost("holdout-32", "contended-credit2/10213/1", 0, 20_000);
    const sim = simulatedP999(s, "victim-1", SEEDS);
    const off = shippedP999(s, "victim-1", OFF);
    const on = shippedP999(s, "victim-1");
    expect(Math.log(off / sim), `without the term: ${off} against ${sim}`).toBeLessThan(-0.5);
    expect(Math.abs(Math.log(on / sim)), `with it: ${on} against ${sim}`).toBeLessThan(0.25);
  }, 120_000);

  // 4 cores, 7 CPU-bound vCPUs (a 1-vCPU mixed victim), the io victim 402/s x 39 µs: p99.9
  // 3.5-4.5 ms; 1.5 ms without the term.
  test("holdout-8 contended-credit2/9963/5 victim-1: from under by over 0.7 to within 0.3 of the simulator", () => {
    const s = roundHost("holdout-8", "contended-credit2/9963/5", 0, 20_000);
    const sim = simulatedP999(s, "victim-1", SEEDS);
    const off = shippedP999(s, "victim-1", OFF);
    const on = shippedP999(s, "victim-1");
    expect(Math.log(off / sim), `without the term: ${off} against ${sim}`).toBeLessThan(-0.7);
    expect(Math.abs(Math.log(on / sim)), `with it: ${on} against ${sim}`).toBeLessThan(0.3);
  }, 120_000);

  // No mixed VM on the host (4 cores, 5 CPU-bound vCPUs): nothing to count.
  test("no mixed VM (holdout-23 contended-credit2/10128/5): left as it was", () => {
    const s = roundHost("holdout-23", "contended-credit2/10128/5");
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });

  // A mixed VM, but no more CPU-bound vCPUs than cores (4 and 4): the no-queue line's all-fresh
  // test reads the term there, and was chosen on the io-only wakes.
  test("CPU-bound vCPUs no more than the cores (holdout-23 contended-credit2/10125/6): left as it was", () => {
    const s = roundHost("holdout-23", "contended-credit2/10125/6");
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });
});
