import { describe, expect, test } from "vitest";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { fairScenario, hog, runWithLog, type FairKind } from "./helpers.js";

// E8 (shared/reference/sim-fidelity.md 5): CFS and EEVDF weights and cgroup shares on 1 CPU, 30 s
// each, then the multi-CPU weighted cases of issue 13 on 2 and 4 CPUs.
//
// Tolerance on 1 CPU. All threads are CPU-bound, so nobody sleeps: there is no sleeper credit
// (CFS) and no lag carried across sleeps (EEVDF). Both hand out run time in proportion to weight
// exactly, apart from the rotation in progress when the window closes (CFS: one period, 6 ms at
// factor 1; EEVDF: a lag bounded by max(2 slices, a tick) = 1.5 ms per entity, each turn ending at
// the first tick past its 0.75 ms slice) and the boundary the window opens in. That is <= 12 ms of
// 30 s = 0.04 points, far inside the spec's +-1 point, which is used as given.
const DURATION_MS = 30000;
const POINT = 0.01;

describe.each(["kvm-cfs", "kvm-eevdf"] as const)("E8 %s weights and cgroup shares (1 CPU, 30 s)", (kind: FairKind) => {
  test("(a) nice 0 / 1 / 5 threads (weights 1024 / 820 / 335) get 47.0 / 37.6 / 15.4%", () => {
    // Three threads of one VM cgroup with nice values: the thread-level weight arithmetic. No
    // scenario field carries a thread's nice, so the policy is built with that option directly.
    const s = fairScenario(kind, 1, [{ vcpus: 3, workload: hog }], { durationMs: DURATION_MS });
    const { vcpuShares } = runWithLog(s, { vcpuNice: (info) => [0, 1, 5][info.vcpuInVm] });
    const expected = [1024, 820, 335].map((w) => w / 2179);
    vcpuShares.forEach((share, i) => expect(Math.abs(share - expected[i])).toBeLessThanOrEqual(POINT));
    expect(expected.map((x) => +(100 * x).toFixed(1))).toEqual([47.0, 37.6, 15.4]);
  });

  test("(a') the same through cgroup weights: cpu.weight 100 / 80 / 33 = shares 1024 / 819 / 338", () => {
    // cpu.weight cannot say 820 or 335 exactly (sched_weight_from_cgroup rounds w x 1024 / 100), so
    // the nearest VM-level weights give 46.95 / 37.55 / 15.50%: within a tenth of a point of (a).
    const s = fairScenario(kind, 
      1,
      [100, 80, 33].map((cpuWeight) => ({ cpuWeight, workload: hog })),
      { durationMs: DURATION_MS },
    );
    const shares = simulateHost(s).vms.map((v) => v.cpuShare);
    const expected = [1024, 819, 338].map((w) => w / 2181);
    shares.forEach((share, i) => expect(Math.abs(share - expected[i])).toBeLessThanOrEqual(POINT));
    [0.47, 0.376, 0.154].forEach((spec, i) => expect(Math.abs(shares[i] - spec)).toBeLessThanOrEqual(POINT));
  });

  test("(b) cgroups at cpu.weight 100 / 200 / 50 get 28.6 / 57.1 / 14.3%", () => {
    const s = fairScenario(kind, 
      1,
      [100, 200, 50].map((cpuWeight) => ({ cpuWeight, workload: hog })),
      { durationMs: DURATION_MS },
    );
    const shares = simulateHost(s).vms.map((v) => v.cpuShare);
    [0.286, 0.571, 0.143].forEach((spec, i) => expect(Math.abs(shares[i] - spec)).toBeLessThanOrEqual(POINT));
  });

  test("(c) a 4-vCPU VM and a 1-vCPU VM of equal weight split 50 / 50; each of the 4 threads ~12.5%", () => {
    // Group fairness: the 4-vCPU VM's group entity weighs its shares (1024), not 4 x 1024, and its
    // threads split that inside the group's cfs_rq. Credit1 (E1-C) would give 4:1 per vCPU here.
    const s = fairScenario(kind, 1, [{ vcpus: 4, workload: hog }, { workload: hog }], { durationMs: DURATION_MS });
    const { result, vcpuShares } = runWithLog(s);
    result.vms.forEach((vm) => expect(Math.abs(vm.cpuShare - 0.5)).toBeLessThanOrEqual(POINT));
    vcpuShares.slice(0, 4).forEach((share) => expect(Math.abs(share - 0.125)).toBeLessThanOrEqual(POINT));
    expect(Math.abs(vcpuShares[4] - 0.5)).toBeLessThanOrEqual(POINT);
  });
});

// The weighted multi-CPU cases (issue 13, item 3). Balancing compares PELT-averaged runnable
// weight: a busy CPU pulls only from an overloaded one (two or more runnable) whose load exceeds
// its own by imbalance_pct (117%), and only a waiting thread whose hierarchical load fits the
// imbalance (min of the busiest's excess and its own shortfall against the average), that fit
// halving per failed attempt. The settled states below are fixed points of those rules: the
// heaviest VM alone on a CPU (its lone thread is never pulled: no waiter; nobody pulls from a
// CPU with one runnable), the rest sharing by weight. Busy CPUs balance every 16 x nCPUs ms, so
// the 2 s warm-up holds >= 30 rounds, enough to reach it from the round-robin start; once there
// nothing moves, and the window-edge rotation costs < 0.01 pCPU over 30 s: the tolerance.
// (Count-based balancing, before this, gave 0.396 / 0.729 / 0.875 and 1.245 / 0.755.)
const PCPU = 0.01;

describe.each(["kvm-cfs", "kvm-eevdf"] as const)("E8 %s weighted balancing across CPUs (30 s)", (kind: FairKind) => {
  const shares = (cores: number, vms: Parameters<typeof fairScenario>[2]) =>
    simulateHost(fairScenario(kind, cores, vms, { durationMs: DURATION_MS })).vms.map((v) => v.cpuShare);
  const expectShares = (got: number[], want: number[]) =>
    want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(PCPU));

  test("2 CPUs, cpu.weight 100 / 200 / 400 hogs: 1/3, 2/3, 1 pCPU (the heaviest alone)", () => {
    expectShares(shares(2, [100, 200, 400].map((cpuWeight) => ({ cpuWeight, workload: hog }))), [1 / 3, 2 / 3, 1]);
  });

  test("4 CPUs, two VMs at each of 100 / 200 / 400: each pair settles like the 2-CPU case", () => {
    const vms = [100, 200, 400, 100, 200, 400].map((cpuWeight) => ({ cpuWeight, workload: hog }));
    expectShares(shares(4, vms), [1 / 3, 2 / 3, 1, 1 / 3, 2 / 3, 1]);
  });

  test("2 CPUs, a 4-vCPU VM beside a 1-vCPU VM, equal weight: 1.0 / 1.0 (group fairness)", () => {
    // The 4-vCPU VM's group entities weigh 1024 split by where its threads are; its threads all
    // end on one CPU (1024) against the 1-vCPU VM's 1024 on the other.
    expectShares(shares(2, [{ vcpus: 4, workload: hog }, { workload: hog }]), [1, 1]);
  });

  test("4 CPUs, the same pair: 3 / 1 (the 1-vCPU VM keeps a CPU, the 4 threads share three)", () => {
    // Loads 1024 (alone), 512 (two of the four threads), 256, 256: the overloaded CPU carries
    // exactly the average, so the imbalance is 0 and nothing moves.
    expectShares(shares(4, [{ vcpus: 4, workload: hog }, { workload: hog }]), [3, 1]);
  });

  test("4 CPUs, an 8-vCPU VM beside two 1-vCPU VMs, equal weight: 2 / 1 / 1", () => {
    expectShares(shares(4, [{ vcpus: 8, workload: hog }, { workload: hog }, { workload: hog }]), [2, 1, 1]);
  });

  test("4 CPUs, six hogs and an io VM: a 2-2-1-1 split, no hog below half a CPU, the host busy", () => {
    // Six equal always-runnable threads cannot be balanced on four CPUs, and Linux does not try
    // to: at any moment two CPUs run two hogs and two run one. A one-hog CPU that balances sees
    // loads 2048 / 1024 against an average of 1536, so the imbalance (migrate_load) is 512, half a
    // hog: detach_tasks' `load >> nr_balance_failed > imbalance` refuses the 1024 hog until one
    // attempt has failed, then moves it, which only relocates the 2-1 pair (imbalance_pct 117%
    // is passed by 2048 against 1024 at every step). So no hog ever gets less than a CPU shared
    // with one other (0.5), hogs that take part in the moves get more, and the host stays busy.
    // Which pair is split at a step is decided by ties: equal loads go to the first overloaded
    // CPU in ring order after the puller (update_sd_pick_busiest's strict >), and here every CPU
    // balances at the same tick in index order, so the tie-breaks repeat and one pair can be
    // skipped for good: in CFS its two hogs sit at exactly 0.50 while four rotate at ~0.74 (3
    // CPUs less the io VM's 0.05, shared by four). That is not an imbalance-threshold bug but
    // deterministic phases; in Linux balance_interval adapts per CPU (doubled after a balanced
    // attempt, reset after a move) and jitter desynchronises the CPUs, so over a long run the
    // skipped pair would change and the per-VM shares even out towards 3.95 / 6 = 0.66. (A
    // staggered start of the balance phases was tried: it only moved the artefact, leaving one
    // pair at 0.50 and one hog at 0.90.) EEVDF shows no stuck pair: its wake-up and slice-end
    // picks reshuffle the queues often enough that the ties fall differently.
    const io = { workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 } } as const;
    const got = shares(4, [io, ...Array.from({ length: 6 }, () => ({ workload: hog }))]);
    const hogs = got.slice(1);
    expect(Math.abs(got.reduce((a, x) => a + x, 0) - 4)).toBeLessThanOrEqual(0.01);
    for (const x of hogs) expect(x).toBeGreaterThanOrEqual(0.5 - 0.002);
    expect(Math.max(...hogs)).toBeLessThanOrEqual(1);
  });
});
