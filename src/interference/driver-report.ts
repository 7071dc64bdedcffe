import { z } from "zod";
import type { Host, Vm } from "../model/cluster.js";
import { driverDomainName } from "../model/driver-domain.js";
import { chargingAdvice } from "./driver-advice.js";
import { driverCpusFor } from "./driver-load.js";
import type { VmProfile } from "./profile.js";

/** HostDriverRiskSchema: a host's driver domain in `vmplace score`: a shared resource of its VMs. */
export const HostDriverRiskSchema = z.strictObject({
  name: z.string(),
  vcpus: z.number().int(),
  chargeDriverWork: z.boolean(),
  /** Predicted driver CPU for all of the host's VMs' packets, in CPUs. */
  driverCpus: z.number(),
  /** Its utilisation per driver vCPU (above 1 the driver cannot keep up). */
  utilisation: z.number(),
  guests: z.array(z.strictObject({ vmId: z.string(), packetsPerSec: z.number(), driverCpus: z.number() })),
  /** Would charging the driver work fix this host's imbalance (the hook for `advise`)? */
  charging: z
    .strictObject({ wouldFix: z.boolean(), recoveredCpus: z.number(), enforcement: z.enum(["exact", "partial"]), reason: z.string() })
    .optional(),
});
export type HostDriverRisk = z.infer<typeof HostDriverRiskSchema>;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * hostDriverRisk summarises a host's driver domain from its VMs' profiles (and, when the VMs
 * themselves are at hand, whether charging would fix an imbalance); undefined without one.
 */
export function hostDriverRisk(host: Host, profiles: readonly VmProfile[], vms?: readonly Vm[]): HostDriverRisk | undefined {
  const d = host.driverDomain;
  if (d === undefined) return undefined;
  const guests = profiles
    .filter((p) => p.io !== undefined)
    .map((p) => ({
      vmId: p.id,
      packetsPerSec: r3((p.io?.requestsPerSec ?? 0) * d.packetsPerRequest),
      driverCpus: r3(driverCpusFor(d, p.io?.requestsPerSec ?? 0)),
    }));
  const total = guests.reduce((s, g) => s + g.driverCpus, 0);
  const advice = vms ? chargingAdvice(host, vms) : undefined;
  return {
    name: driverDomainName(host.scheduler.kind),
    vcpus: d.vcpus,
    chargeDriverWork: d.chargeDriverWork,
    driverCpus: r3(total),
    utilisation: r3(total / d.vcpus),
    guests,
    ...(advice
      ? { charging: { wouldFix: advice.wouldFix, recoveredCpus: r3(advice.recoveredCpus), enforcement: advice.enforcement, reason: advice.reason } }
      : {}),
  };
}
