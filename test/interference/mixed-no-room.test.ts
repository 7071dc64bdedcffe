import { describe, expect, test } from "vitest";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { Predictor } from "../../src/interference/predictor.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { plainModel } from "./helpers.js";

/**
 * A mixed victim whose SLO leaves no room past its service time is refused before its own
 * components are built (Query.withinSloRow's noRoom, read at excludedFull's pFull): fits must
 * still agree with the sign of its slack from a full prediction, on either side of that test.
 */
const predictor = new Predictor(plainModel(Math.log(1.5)));
const doc = parseCluster(generateCluster({ hosts: 4, vms: 80, seed: 13, mix: { io: 0.2, cpu: 0.5, mixed: 0.2, trace: 0.1 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const profiles = cluster.vms.map(profileVm);
const HOSTS: Host[] = (["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).map((kind) => ({ ...cluster.hosts[0], id: `${kind}-4`, cores: 4, scheduler: defaultScheduler(kind) }));

describe("a mixed victim with no room past its service time", () => {
  test("fits agrees with the sign of its slack for SLOs from below its service time to far above", () => {
    const mixed = profiles.filter((p) => p.cpu && p.io);
    const hogs = profiles.filter((p) => p.cpu && !p.io);
    if (mixed.length < 4 || hogs.length < 8) throw new Error("fixture lacks mixed or CPU-bound VMs");
    let refused = 0;
    let tight = 0;
    let checked = 0;
    for (const host of HOSTS)
      for (let m = 0; m < 4; m++) {
        const base = mixed[m];
        const serviceUs = base.io!.serviceUs;
        const alone = victimTerms(base, predictor)!.tail.base999Us;
        // Below the service time, then multiples of the alone p99.9 up to where nothing breaches.
        const slos = [0.5 * serviceUs, 0.9 * serviceUs, ...[1, 1.2, 1.5, 2, 3, 5, 10, 30, 100, 1000].map((f) => f * alone)];
        for (const [i, slo] of slos.entries()) {
          const f = i < 2 ? 0 : 1;
          const p: VmProfile = { ...base, sloP99Us: undefined, sloP999Us: slo };
          const s = new HostState(host, predictor);
          for (let k = 0; k < 2 + m; k++) s.add(hogs[k], undefined);
          s.add(p, victimTerms(p, predictor));
          const slack = s.worstSlackUs();
          if (slack === Infinity || Math.abs(slack) < 5) continue; // the root solve's tolerance
          const fits = s.fits();
          expect(fits, `${host.id}, ${base.id}, SLO ${slo} µs: slack ${slack}`).toBe(slack >= 0);
          checked++;
          if (!fits) refused++;
          if (f < 1) tight++;
        }
      }
    // Both answers occur, and SLOs below the service time are among those checked.
    expect(checked).toBeGreaterThan(80);
    expect(refused).toBeGreaterThan(10);
    expect(refused).toBeLessThan(checked);
    expect(tight).toBeGreaterThan(4);
  });
});
