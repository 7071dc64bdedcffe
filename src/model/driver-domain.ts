import { z } from "zod";

/**
 * DriverDomainSchema: the host's IO driver domain (Xen's dom0 running netback, or KVM's vhost
 * worker threads), a separate schedulable entity that does per-packet CPU work for every guest's
 * IO before (receive) and after (transmit) the guest serves a request. Stock hypervisors bill that
 * CPU to the driver domain, not to the guest that caused it (Gupta et al., Middleware 2006: 20-45%
 * of a web server's total CPU); `chargeDriverWork` bills it to the guest as well, as SEDF-DC and
 * split-level scheduling do. See docs/driver-domain.md.
 */
export const DriverDomainSchema = z.strictObject({
  /** vCPUs of dom0, or vhost worker threads under KVM; each guest's packets go to one of them. */
  vcpus: z.number().int().min(1).max(256).default(1),
  /** Xen credit weight of dom0 (1..65535). */
  weight: z.number().int().min(1).max(65535).default(256),
  /** cgroup v2 cpu.weight of the vhost threads' cgroup under KVM (1..10000). */
  cpuWeight: z.number().int().min(1).max(10000).default(100),
  /** Cap (Xen) or quota (KVM) of the driver domain in percent of one CPU; 0 = uncapped. */
  capPercent: z.number().min(0).default(0),
  /** Driver CPU per packet, in microseconds (netback/vhost copy, grant and event work). */
  usPerPacket: z.number().int().min(1).max(100_000).default(10),
  /** Packets per IO request, both directions together (a small web request: 1 in, 1-3 out). */
  packetsPerRequest: z.number().int().min(1).max(10_000).default(2),
  /**
   * Of those, the packets the driver processes before the guest is woken (receive path); the
   * rest it processes after the guest has served the request (transmit path).
   */
  rxPacketsPerRequest: z.number().int().min(0).max(10_000).default(1),
  /**
   * false (stock): the driver's CPU is billed to the driver domain only. true: it is also billed
   * to the guest that caused it (credit1/credit2: the guest's credit and cap budget are debited;
   * CFS/EEVDF: the guest cgroup's vruntime and cpu.max quota are charged).
   */
  chargeDriverWork: z.boolean().default(false),
}).refine((d) => d.rxPacketsPerRequest <= d.packetsPerRequest, {
  message: "rxPacketsPerRequest must not exceed packetsPerRequest",
  path: ["rxPacketsPerRequest"],
});
export type DriverDomain = z.infer<typeof DriverDomainSchema>;

/** DriverGuestSchema: the driver work one guest caused over the measured window. */
export const DriverGuestSchema = z.strictObject({
  /** Packets the driver finished for this guest. */
  packets: z.number().int(),
  /** Driver CPU spent on this guest's packets, in µs and in CPUs (1 = one full core). */
  cpuUs: z.number(),
  cpuShare: z.number(),
  /** The guest's own CPU plus the driver CPU it caused, in CPUs (XenMon's aggregate use). */
  aggregateCpuShare: z.number(),
});
export type DriverGuest = z.infer<typeof DriverGuestSchema>;

/** DriverDomainResultSchema: the driver domain's own measurements over the measured window. */
export const DriverDomainResultSchema = z.strictObject({
  /** "dom0" on Xen hosts, "vhost" on KVM hosts. */
  name: z.string(),
  vcpus: z.number().int(),
  chargeDriverWork: z.boolean(),
  cpuUs: z.number(),
  /** The driver domain's CPU over the window, in CPUs. */
  cpuShare: z.number(),
  /** Delay from a packet reaching an idle driver vCPU to that vCPU running (the driver's own wake-up). */
  wakeToRunP99Us: z.number(),
  wakeToRunP999Us: z.number(),
  packets: z.number().int(),
});
export type DriverDomainResult = z.infer<typeof DriverDomainResultSchema>;

/** driverCpusFor is the driver CPU (in CPUs) a guest at requestsPerSec costs: every packet costs usPerPacket. */
export function driverCpusFor(d: DriverDomain, requestsPerSec: number): number {
  return (requestsPerSec * d.packetsPerRequest * d.usPerPacket) / 1e6;
}

/** driverDomainName names the driver domain as the host's hypervisor does. */
export function driverDomainName(schedulerKind: string): string {
  return schedulerKind.startsWith("xen") ? "dom0" : "vhost";
}
