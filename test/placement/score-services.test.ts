import { describe, expect, test } from "vitest";
import type { Cluster } from "../../src/model/cluster.js";
import { scoreCurrentPlacement } from "../../src/placement/score-placement.js";
import { cluster, predictor, sampleCluster } from "./helpers.js";

/** The sample with its eight web VMs as one service; web-3 sits on h07, the Bobtail host. */
function withWebService(members: string[], p99Ms: number): Cluster {
  const c = sampleCluster();
  return cluster({ ...c, services: [{ id: "web", vms: members, fanout: members.length, slo: { p99Ms } }] });
}

const WEB = ["web-1", "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-8"];

describe("score: fan-out services in the current placement", () => {
  test("a service with a member on the Bobtail host is over its SLO: named in the status, that member first", () => {
    const r = scoreCurrentPlacement(withWebService(WEB, 3), predictor());
    const [s] = r.services!;
    expect(s).toMatchObject({ id: "web", breach: true, hosts: 7 });
    expect(s.worst[0]).toMatchObject({ vm: "web-3", host: "h07" });
    // Fan-out over every member: a request waits for web-3 every time, so the service's p99 is at
    // least web-3's own.
    const web3 = r.vms.find((v) => v.vmId === "web-3")!;
    expect(s.predictedP99Us).toBeGreaterThanOrEqual(web3.predictedP99Us);
    expect(r.status).toBe("incomplete");
    expect(r.reasons.map((x) => x.message)).toContain("1 fan-out service(s) over their SLO (web)");
  });

  test("without the Bobtail member the service holds its SLO and adds no reason", () => {
    const r = scoreCurrentPlacement(withWebService(WEB.filter((v) => v !== "web-3"), 3), predictor());
    expect(r.services![0].breach).toBe(false);
    expect(r.services![0].predictedP99Us).toBeLessThan(3000);
    expect(r.reasons.map((x) => x.message).filter((m) => m.includes("fan-out"))).toEqual([]);
  });

  test("a document without services answers as before: no services key", () => {
    expect("services" in scoreCurrentPlacement(sampleCluster(), predictor())).toBe(false);
  });
});
