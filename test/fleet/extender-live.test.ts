import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Audit } from "../../src/api/fleet/schemas.js";
import type { Pod } from "../../src/api/k8s/schemas.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { sourceOf } from "../../src/cli/commands/serve-source.js";
import { post, testApp } from "../api/helper.js";
import { FleetExporter, scrapedFleet, stopScrapedFleet, sleep, type RunningPrometheus } from "../helpers/prometheus.js";

/**
 * The Kubernetes extender on a live KubeVirt fleet: Prometheus scrapes what cAdvisor and
 * kube-state-metrics would show of two nodes' virt-launcher pods, `serve --source prometheus
 * --profile cadvisor` audits it every second, and the extender places new VMs' pods. Each node has
 * room for one more 8 GiB VM.
 */
const exporter = new FleetExporter(
  [
    { id: "n1", cores: 8, memoryMiB: 16384 },
    { id: "n2", cores: 8, memoryMiB: 16384 },
  ],
  [
    { id: "shop/base-1", host: "n1", vcpus: 2, memoryMiB: 4096, util: 0.2 },
    { id: "shop/base-2", host: "n2", vcpus: 2, memoryMiB: 4096, util: 0.2 },
  ],
  "cadvisor",
);
let prom: RunningPrometheus;
let app: ZodApp;

const launcher = (vm: string): Pod => ({
  metadata: { name: `virt-launcher-${vm}-q8m4z`, namespace: "shop", labels: { "kubevirt.io": "virt-launcher", "kubevirt.io/domain": vm }, annotations: { "vmplace.io/workload": "idle" } },
  spec: { containers: [{ name: "compute", resources: { requests: { cpu: "1", memory: "8Gi" } } }] },
});
const args = (vm: string) => ({ Pod: launcher(vm), NodeNames: ["n1", "n2"] });
const passing = async (vm: string): Promise<string[]> => (await post(app, "/k8s/filter", args(vm))).json<{ NodeNames: string[] }>().NodeNames;
const latest = async (): Promise<Audit | undefined> => {
  const r = await app.inject({ method: "GET", url: "/v1/audits/latest" });
  return r.statusCode === 200 ? r.json<Audit>() : undefined;
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  prom = await scrapedFleet(exporter, "container_cpu_usage_seconds_total", 2, 6_000);
  const source = sourceOf({ url: prom.url, profile: "cadvisor", window: "12s", step: "1s", rateWindow: "3s", auditEvery: "1s" });
  app = await testApp({ source, assumeForMs: 120_000 });
  await until("the first audit that read the fleet", async () => ((await latest())?.vms === 2 ? true : undefined));
}, 90_000);

afterAll(async () => {
  await app?.close();
  await stopScrapedFleet(prom, exporter);
});

describe("the extender on a live fleet (Prometheus, cadvisor profile)", { timeout: 90_000 }, () => {
  test("a placed pod counts on its node through refreshes until Prometheus shows its VM, then where Prometheus shows it", async () => {
    expect(await passing("new-1")).toEqual(["n1", "n2"]);
    const ranked = (await post(app, "/k8s/prioritize", args("new-1"))).json<{ Host: string; Score: number }[]>();
    const assumedOn = [...ranked].sort((a, b) => b.Score - a.Score)[0].Host;
    const other = assumedOn === "n1" ? "n2" : "n1";
    expect(await passing("new-2")).toEqual([other]);

    // Two refreshes later Prometheus still has no series of new-1: it still counts where assumed.
    const seen = (await latest())!.id;
    await until("two more audits", async () => ((await latest())!.id >= seen + 2 ? true : undefined));
    expect((await latest())!.vms).toBe(2);
    expect(await passing("new-2")).toEqual([other]);

    // The scheduler bound it to the other node; Prometheus shows it there under its VM's id.
    exporter.add({ id: "shop/new-1", host: other, vcpus: 1, memoryMiB: 8192, util: 0.1 });
    await until("an audit that shows new-1", async () => ((await latest())?.vms === 3 ? true : undefined));
    // The assumption ended (the same VM id), so its node is free and the real one is full.
    expect(await passing("new-2")).toEqual([assumedOn]);
  });
});
