import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { filterNodes, prioritizeNodes, serialisedAnswer, vmOfPod } from "../../src/api/k8s/extender.js";
import { podToVm, vmIdOfPod } from "../../src/api/k8s/pod-vm.js";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { loadPredictor } from "../../src/io/calibration.js";
import { VmSchema } from "../../src/model/cluster.js";
import { parseQuantity } from "../../src/api/k8s/quantity.js";
import { ExtenderFilterResultSchema, HostPriorityListSchema, type Pod } from "../../src/api/k8s/schemas.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { expectError, parsedSample, post, testApp } from "./helper.js";

const ioPod = (annotations: Record<string, string> = {}): Pod => ({
  metadata: {
    name: "web-9",
    namespace: "shop",
    annotations: { "vmplace.io/workload": "io", "vmplace.io/requests-per-sec": "800", "vmplace.io/service-us": "150", "vmplace.io/slo-p999-ms": "5", ...annotations },
  },
  spec: { containers: [{ name: "compute", resources: { requests: { cpu: "1500m", memory: "4Gi" } } }, { name: "sidecar", resources: { requests: { memory: "128Mi" } } }] },
});

const cluster = parsedSample();
const nodeList = (names: string[]) => ({ items: names.map((name) => ({ metadata: { name }, status: { phase: "Running" } })) });
const hostIds = cluster.hosts.map((h) => h.id);

let app: ZodApp;
let bare: ZodApp;
beforeAll(async () => {
  [app, bare] = await Promise.all([testApp({ cluster }), testApp()]);
});
afterAll(() => Promise.all([app.close(), bare.close()]));

describe("pods and quantities", () => {
  test.each([
    ["2", 2],
    ["500m", 0.5],
    ["1.5", 1.5],
    ["4Gi", 4 * 2 ** 30],
    ["512Mi", 512 * 2 ** 20],
    ["2G", 2e9],
    ["1e3", 1000],
    [3, 3],
    ["4 GiB", undefined],
    ["", undefined],
  ])("quantity %s is %s", (q, want) => {
    expect(parseQuantity(q)).toBe(want);
  });

  test("an io pod becomes an io VM with its SLO; sizes from the requests, rounded up", () => {
    const r = podToVm(ioPod());
    expect(r.ok && r.value).toMatchObject({ id: "shop/web-9", vcpus: 2, memoryMiB: 4096 + 128, workload: { kind: "io", requestsPerSec: 800, serviceUs: 150 }, slo: { p999Ms: 5 } });
  });

  test("vmplace.io/vcpus overrides KubeVirt's fractional cpu request", () => {
    const r = podToVm(ioPod({ "vmplace.io/vcpus": "8" }));
    expect(r.ok && r.value.vcpus).toBe(8);
  });

  test("without a workload annotation the VM is taken as CPU-bound at duty cycle 1", () => {
    const pod = ioPod();
    pod.metadata.annotations = {};
    const r = podToVm(pod);
    expect(r.ok && r.value.workload).toMatchObject({ kind: "cpu", dutyCycle: 1 });
  });

  test("every bad annotation is named, including the ones a workload kind requires", () => {
    const r = podToVm(ioPod({ "vmplace.io/workload": "mixed", "vmplace.io/duty-cycle": "150%", "vmplace.io/requests-per-sec": "-3" }));
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['Pod.metadata.annotations["vmplace.io/duty-cycle"]', 'Pod.metadata.annotations["vmplace.io/requests-per-sec"]']));
  });
});

interface FilterResult {
  Nodes: { items: { metadata: { name: string } }[] } | null;
  NodeNames: string[] | null;
  FailedNodes: Record<string, string>;
  FailedAndUnresolvableNodes: Record<string, string>;
  Error: string;
}

describe("POST /k8s/filter", () => {
  test("keeps the nodes whose hosts may take the VM; fails the rest with reasons; echoes node objects", async () => {
    const res = await post(app, "/k8s/filter", { Pod: ioPod(), Nodes: nodeList([...hostIds, "stranger"]), NodeNames: null });
    expect(res.statusCode, res.body).toBe(200);
    const r = ExtenderFilterResultSchema.parse(res.json()) as FilterResult;
    expect(r.Error).toBe("");
    const kept = r.Nodes!.items.map((n) => n.metadata.name);
    const failed = Object.keys({ ...r.FailedNodes, ...r.FailedAndUnresolvableNodes });
    expect([...kept, ...failed].sort()).toEqual([...hostIds, "stranger"].sort());
    expect(r.FailedNodes.stranger).toMatch(/not in vmplace's cluster document/);
    expect(r.Nodes!.items[0]).toHaveProperty("status.phase", "Running");
  });

  test("NodeNames in, NodeNames out (nodeCacheCapable); a VM larger than every node is unresolvable", async () => {
    const pod = ioPod({ "vmplace.io/vcpus": "64" });
    const r = (await post(app, "/k8s/filter", { Pod: pod, NodeNames: hostIds })).json<FilterResult>();
    expect(r.NodeNames).toEqual([]);
    expect(Object.keys(r.FailedAndUnresolvableNodes).sort()).toEqual([...hostIds].sort());
  });

  test("a failed node's reason names what rejects it, not its own figures: nodes failing alike read alike", async () => {
    // 1000 GiB fits no host of the sample; kube-scheduler counts nodes per reason text.
    const pod = ioPod();
    pod.spec!.containers![0].resources!.requests = { cpu: "1", memory: "1000Gi" };
    const res = await post(app, "/k8s/filter", { Pod: pod, NodeNames: hostIds });
    const r = ExtenderFilterResultSchema.parse(res.json());
    const reasons = Object.values({ ...r.FailedNodes, ...r.FailedAndUnresolvableNodes });
    expect(reasons.length).toBe(hostIds.length);
    for (const why of reasons) expect(why).toMatch(/^vmplace: not enough free memory/);
    expect(reasons.join(" ")).not.toMatch(/\d{3,}/);
    expect(new Set(reasons).size).toBeLessThan(reasons.length);
  });

  test("a pod with bad annotations gets the protocol's Error field, which kube-scheduler logs", async () => {
    const r = (await post(app, "/k8s/filter", { Pod: ioPod({ "vmplace.io/service-us": "fast" }), NodeNames: hostIds })).json<FilterResult>();
    expect(r.Error).toMatch(/vmplace\.io\/service-us/);
  });

  // kube-scheduler treats a non-200 answer exactly as a filter Error (both fail the call, and
  // ignorable applies), so the server's own state is a status code monitoring can see.
  test("without --cluster the filter answers 503 NO_CLUSTER, as docs/api.md says", async () => {
    const body = expectError(await post(bare, "/k8s/filter", { Pod: ioPod(), NodeNames: hostIds }), 503, "NO_CLUSTER");
    expect(body.message).toMatch(/--cluster/);
  });

  test("a body that is not ExtenderArgs is a 400 with paths", async () => {
    const body = expectError(await post(app, "/k8s/filter", { Pod: { metadata: {} }, Nodes: { items: "all" } }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path)).toEqual(expect.arrayContaining(["Pod.metadata.name", "Nodes.items"]));
  });
});

describe("answers reused while kube-scheduler repeats its candidates", () => {
  const predictor = loadPredictor();
  const vm = () => {
    const r = podToVm(ioPod());
    if (!r.ok) throw new Error("pod");
    return r.value;
  };

  test("each answer is the one built afresh: same names, other names, node objects, after the cluster changed", () => {
    const prepared = new PreparedCluster(cluster, predictor);
    const fresh = new PreparedCluster(cluster, predictor);
    const asks = [{ NodeNames: hostIds }, { NodeNames: hostIds }, { NodeNames: hostIds.slice(1) }, { NodeNames: hostIds }, { Nodes: nodeList(hostIds), NodeNames: hostIds }];
    for (const ask of asks) {
      const args = { Pod: ioPod(), ...ask };
      expect(JSON.parse(serialisedAnswer("filter", prepared, args, vm()))).toEqual(filterNodes(fresh, args, vm()));
      expect(JSON.parse(serialisedAnswer("prioritize", prepared, args, vm()))).toEqual(prioritizeNodes(fresh, args, vm()));
    }
    // Fill the first feasible host's memory: a reused answer would still pass it.
    const args = { Pod: ioPod(), NodeNames: hostIds };
    const passed = filterNodes(fresh, args, vm()).NodeNames!;
    const best = cluster.hosts.find((h) => h.id === passed[0])!;
    const filler = VmSchema.parse({ id: "filler", vcpus: 1, memoryMiB: best.memoryMiB - 1024, workload: { kind: "idle" }, host: best.id });
    const changed = { ...cluster, vms: [...cluster.vms.filter((v) => v.host !== best.id), filler] };
    prepared.update(changed);
    const after = JSON.parse(serialisedAnswer("filter", prepared, args, vm())) as FilterResult;
    expect(after.NodeNames).not.toContain(best.id);
    expect(after).toEqual(filterNodes(new PreparedCluster(changed, predictor), args, vm()));
  });

  test("over HTTP the reused answer is the same JSON with the JSON content type", async () => {
    const first = await post(app, "/k8s/filter", { Pod: ioPod(), NodeNames: hostIds });
    const again = await post(app, "/k8s/filter", { Pod: ioPod(), NodeNames: hostIds });
    expect(again.headers["content-type"]).toMatch(/^application\/json/);
    expect(again.body).toBe(first.body);
    expect(ExtenderFilterResultSchema.safeParse(again.json()).success).toBe(true);
  });
});

describe("POST /k8s/prioritize", () => {
  test("a 0-10 score per candidate node, 0 where the VM may not go", async () => {
    const res = await post(app, "/k8s/prioritize", { Pod: ioPod(), Nodes: nodeList(hostIds) });
    expect(res.statusCode, res.body).toBe(200);
    const list = HostPriorityListSchema.parse(res.json());
    expect(list.map((h) => h.Host)).toEqual(hostIds);
    for (const h of list) expect(h.Score >= 0 && h.Score <= 10 && Number.isInteger(h.Score)).toBe(true);
    const filter = (await post(app, "/k8s/filter", { Pod: ioPod(), NodeNames: hostIds })).json<FilterResult>();
    for (const name of Object.keys(filter.FailedNodes)) expect(list.find((h) => h.Host === name)!.Score).toBe(0);
    expect(Math.max(...list.map((h) => h.Score))).toBeGreaterThan(0);
  });

  test("a VM the cluster document knows is judged as documented there, not from annotations", async () => {
    const known = cluster.vms[0];
    const [ns, name] = known.id.includes("/") ? known.id.split("/") : ["default", known.id];
    const pod: Pod = { metadata: { name, namespace: ns, annotations: { "vmplace.io/workload": "nonsense" } } };
    const res = await post(app, "/k8s/prioritize", { Pod: pod, NodeNames: hostIds });
    expect(res.statusCode, res.body).toBe(200);
  });

  test("bad annotations are a 400 (prioritize has no error field)", async () => {
    expectError(await post(app, "/k8s/prioritize", { Pod: ioPod({ "vmplace.io/workload": "gpu" }), NodeNames: hostIds }), 400, "INVALID_INPUT");
  });

  test("without --cluster prioritize is a 503 that says why", async () => {
    const body = expectError(await post(bare, "/k8s/prioritize", { Pod: ioPod(), NodeNames: hostIds }), 503, "NO_CLUSTER");
    expect(body.message).toMatch(/--cluster/);
  });
});

describe("KubeVirt pods stand for their VMs", () => {
  const launcher = (ns: string, vm: string, labels: Record<string, string> = { "kubevirt.io": "virt-launcher", "kubevirt.io/domain": vm }): Pod => ({
    metadata: { name: `virt-launcher-${vm}-x7k2p`, namespace: ns, labels, annotations: { "vmplace.io/workload": "idle" } },
  });

  test("a virt-launcher pod's id is namespace/VM, the id the cadvisor import gives the VM", () => {
    expect(vmIdOfPod(launcher("shop", "db-1"))).toBe("shop/db-1");
    expect(vmIdOfPod({ metadata: { name: "web", namespace: "shop" } })).toBe("shop/web");
    // The domain label alone (not a launcher pod) does not rename a pod.
    expect(vmIdOfPod(launcher("shop", "db-1", { "kubevirt.io/domain": "db-1" }))).toBe("shop/virt-launcher-db-1-x7k2p");
  });

  test("a migration's target pod for a VM the document knows is judged as that VM (its annotations aside)", async () => {
    const known = cluster.vms[0];
    const [ns, name] = known.id.includes("/") ? known.id.split("/") : ["default", known.id];
    const pod = launcher(ns, name);
    pod.metadata.annotations = { "vmplace.io/workload": "nonsense" };
    expect(vmOfPod(cluster, pod)).toEqual({ ok: true, value: known });
    const r = (await post(app, "/k8s/filter", { Pod: pod, NodeNames: hostIds })).json<FilterResult>();
    // Read from its annotations, "nonsense" would be the protocol's Error field instead.
    expect(r.Error).toBe("");
    expect(r.NodeNames!.length).toBeGreaterThan(0);
  });
});
