/**
 * Time-shared busy io vCPUs (Mechanisms.eevdfTimeShare; EEVDF only).
 *
 * The wait components (tail.ts) describe a request that wakes its idle vCPU and finds no core.
 * On a host whose CPU-bound vCPUs hold every core, a busy io vCPU is also a runner among runners
 * while it works through a backlog: it shares its CPU with the runner there, by weight, and its
 * requests drain at that share of a core. kvm-fair weighs the VM (cgroup) entities on a CPU, not
 * threads (calc_group_shares: a VM's shares split over its runnable vCPUs), so an io VM whose one
 * busy vCPU is on that CPU carries its VM's whole weight there, and a CPU-bound VM with j runnable
 * vCPUs a 1 / j part of its own.
 *
 * Measured with the simulator on hosts built for it (8-core EEVDF, one 1-vCPU io VM at 2,000
 * requests/s, 10 ms CPU VMs, seeds 1 and 2 x 10 s): with 7 one-vCPU hogs the victim at load 0.6
 * simulates 2.2-2.5 ms (a core of its own), with 8 hogs 117-140 ms, with 9 1.8-1.9 s (a half
 * share of a CPU is under its 0.6: the queue does not drain), where the wait components alone
 * said 4.7-4.9 ms; five 2-vCPU hog VMs (each thread half a weight) 11.6-17.5 ms. holdout-11's
 * packed/10009/2 vm-0 (load 0.60 among 9.2 CPU-bound cores on 8) simulates 55-63 ms, and model-v13
 * estimated 4.9 ms (an unsafe miss).
 *
 * The term, a floor under the corrected estimate (the correction is fitted on the wake-driven
 * core): with chance pFull every core is held, and the vCPU's requests then see a server of rate
 * sigma / service, sigma = 1 / (1 + w) its share against a runner of mean weight w (duty-weighted
 * over the runners: a VM's P(some vCPU runnable) / its runnable vCPUs' mean count), fed at its
 * per-vCPU request rate (an M/M/1 sojourn): P(latency > x) = pFull e^(-(sigma / S - lambda)(x - S)).
 * At or past sigma / S = lambda the backlog does not drain: UNSTABLE_US.
 */

/** The floor of a vCPU whose share cannot keep up with its requests (the simulator runs away to seconds). */
export const UNSTABLE_US = 10_000_000;

/**
 * runnerWeight: the mean kvm-fair weight of the runner a busy io vCPU shares its CPU with, in
 * units of a VM's shares: Σ over CPU-bound VMs of P(some vCPU runnable) over their mean runnable
 * vCPUs Σ vcpus x duty (a VM with j runnable vCPUs weighs 1 / j on each CPU; weighted by the time
 * its vCPUs run, that is P(j >= 1) / E[j]). NaN when nothing CPU-bound runs.
 */
export function runnerWeight(busyVms: number, load: number): number {
  return load > 0 ? busyVms / load : NaN;
}

/** busyShare: P(some of a VM's `vcpus` vCPUs of duty `duty` is runnable), its part of runnerWeight's numerator. */
export function busyShare(vcpus: number, duty: number): number {
  return duty >= 1 ? 1 : 1 - (1 - duty) ** vcpus;
}

/**
 * drainRate: sigma / S - lambda per µs, the rate at which the vCPU's time-shared backlog drains
 * (<= 0: it does not), for a runner weight w, service S and the vCPU's request rate per µs.
 */
export function drainRate(w: number, serviceUs: number, lambdaPerVcpuUs: number): number {
  return 1 / (1 + w) / serviceUs - lambdaPerVcpuUs;
}

/**
 * timeShareQuantileUs: the floor's quantile at tail eps, P(latency > x) = pFull e^(-rate (x - S))
 * past the service time; 0 (no floor) when pFull is within eps or the host has no runners (rate NaN).
 */
export function timeShareQuantileUs(pFull: number, rate: number, serviceUs: number, eps: number): number {
  if (!(pFull > eps) || Number.isNaN(rate)) return 0;
  if (!(rate > 0)) return UNSTABLE_US;
  return Math.min(UNSTABLE_US, serviceUs + Math.log(pFull / eps) / rate);
}
