import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { ioVm, parsedSample, post, sampleCluster, shortScenario, testApp } from "./helper.js";

/**
 * Fuzz: thousands of malformed bodies at every POST route; each answer must be a 400 in the one
 * error shape (never a 500, never a hang) and the server must still answer /healthz afterwards.
 * Every generated body is malformed by construction: raw text, JSON of the wrong shape, or a
 * valid document with at least one mutation that its schema or parseCluster rejects.
 */
type Json = Record<string, unknown>;
type Mutation = (doc: Json) => void;

const RUNS_PER_ROUTE = 400;
const TIME_LIMIT_MS = 15_000;
const SEED = 20240607;

const badNumber = fc.constantFrom<unknown>("7", -1, 0, 0.5, null, true, [], {});
// Letters of any script are ids (the grammar in src/model/cluster.ts); emoji and spaces are not.
const badId = fc.constantFrom<unknown>("", "has space", "smile🙂", 42, null, "x".repeat(201));
const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).map((k) => `zz_${k}`);
// Mutations compose: one may remove what a later one targets, which then changes a scratch object.
const obj = (x: unknown): Json => (typeof x === "object" && x !== null && !Array.isArray(x) ? (x as Json) : {});
const at = (xs: unknown, k: number): Json => (Array.isArray(xs) && xs.length > 0 ? obj(xs[k % xs.length]) : {});

/** Mutations of a cluster document that make it invalid whatever else holds. */
const clusterMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom("cores", "memoryMiB"), badNumber).map(([k, f, v]): Mutation => (d) => void (at(d.hosts, k)[f] = v)),
  fc.tuple(fc.nat(), fc.constantFrom("vcpus", "memoryMiB"), badNumber).map(([k, f, v]): Mutation => (d) => void (at(d.vms, k)[f] = v)),
  // Well-formed but larger than every host: parseCluster's semantic check.
  fc.tuple(fc.nat(), fc.constantFrom(["vcpus", 1024], ["memoryMiB", 1e12])).map(([k, [f, v]]): Mutation => (d) => void (at(d.vms, k)[f] = v)),
  fc.tuple(fc.nat(), fc.constantFrom("id", "cores", "memoryMiB")).map(([k, f]): Mutation => (d) => void delete at(d.hosts, k)[f]),
  fc.tuple(fc.nat(), fc.constantFrom("id", "vcpus", "memoryMiB", "workload")).map(([k, f]): Mutation => (d) => void delete at(d.vms, k)[f]),
  fc.tuple(fc.nat(), badId).map(([k, v]): Mutation => (d) => void (at(d.vms, k).id = v)),
  fc.tuple(fc.nat(), fc.string({ maxLength: 8 })).map(([k, s]): Mutation => (d) => void (at(d.vms, k).workload = { kind: `no-${s}` })),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (d) => {
    const n = Array.isArray(d.vms) ? d.vms.length : 0;
    if (n < 2) return;
    const j = a % n;
    const k = (j + 1 + (b % (n - 1))) % n;
    at(d.vms, j).id = at(d.vms, k).id;
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 8 })).map(([k, s]): Mutation => (d) => void (at(d.vms, k).host = `nowhere-${s}`)),
  fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([key, v]): Mutation => (d) => void (d[key] = v)),
  fc.tuple(fc.nat(), unknownKey).map(([k, key]): Mutation => (d) => void (at(d.hosts, k)[key] = 1)),
  fc.constant<Mutation>((d) => void (d.hosts = [])),
  fc.constant<Mutation>((d) => void (d.policy = { cpuOvercommit: -2 })),
);

const mutated = (base: () => Json, muts: fc.Arbitrary<Mutation>) =>
  fc.array(muts, { minLength: 1, maxLength: 3 }).map((ms) => {
    const doc = base();
    for (const m of ms) m(doc);
    return doc;
  });

const vmMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom("vcpus", "memoryMiB"), badNumber).map(([f, v]): Mutation => (d) => void (d[f] = v)),
  fc.constantFrom<[string, number]>(["vcpus", 1024], ["memoryMiB", 1e12]).map(([f, v]): Mutation => (d) => void (d[f] = v)),
  fc.constantFrom("id", "vcpus", "memoryMiB", "workload").map((f): Mutation => (d) => void delete d[f]),
  unknownKey.map((key): Mutation => (d) => void (d[key] = 0)),
);

const scenarioMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<unknown>("7", -1, 0, 0.5, null, 1e12).map((v): Mutation => (d) => void (d.durationMs = v)),
  fc.constantFrom("host", "vms").map((f): Mutation => (d) => void delete d[f]),
  badNumber.map((v): Mutation => (d) => void (obj(d.host).cores = v)),
  unknownKey.map((key): Mutation => (d) => void (d[key] = "x")),
);

const pod = (): Json => ({ metadata: { name: "vm-1", namespace: "ns" }, spec: { containers: [{ resources: { requests: { cpu: "1", memory: "1Gi" } } }] } });
const extenderMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>((d) => void delete d.Pod),
  fc.constantFrom<unknown>(7, "", null, []).map((v): Mutation => (d) => void (obj(obj(d.Pod).metadata).name = v)),
  fc.constantFrom<unknown>("all", 3, [1, 2]).map((v): Mutation => (d) => void (d.Nodes = { items: v })),
  fc.constantFrom<unknown>("h01", 5, [3]).map((v): Mutation => (d) => void (d.NodeNames = v)),
  fc.constantFrom<unknown>(5, "x", [1]).map((v): Mutation => (d) => void (obj(d.Pod).metadata = v)),
);

const rawText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "1", "-", "e", ".", " ", "n", "u", "l", "a"), maxLength: 60 }),
);
// Valid JSON of the wrong shape: no route takes a scalar, an array or an empty object.
const wrongJson = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));

const clone = <T>(x: T): T => structuredClone(x);
const clusterDoc = sampleCluster() as Json;
const ROUTES: [url: string, bodies: fc.Arbitrary<unknown>][] = [
  ["/v1/score", mutated(() => clone(clusterDoc), clusterMutation)],
  ["/v1/simulate", mutated(() => clone(shortScenario() as Json), scenarioMutation)],
  [
    "/v1/place",
    fc.oneof(
      mutated(() => clone(clusterDoc), clusterMutation).map((cluster) => ({ cluster, vm: ioVm() })),
      mutated(() => clone(ioVm()) as Json, vmMutation).map((vm) => ({ vm })),
    ),
  ],
  ["/v1/plan", mutated(() => clone(clusterDoc), clusterMutation).map((cluster) => ({ cluster, options: { solver: "heuristic", iterations: 10, validate: false } }))],
  [
    "/v1/migrations",
    fc.oneof(
      mutated(() => clone(clusterDoc), clusterMutation).map((cluster) => ({ cluster })),
      fc.constantFrom<unknown>({ mode: "evacuate" }, { mode: "teleport" }, { threshold: 0 }, { maxMoves: -1 }, { host: "h01" }, { seed: "1" }, 7).map((options) => ({ cluster: clone(clusterDoc), options })),
    ),
  ],
  ["/k8s/filter", mutated(() => ({ Pod: pod(), NodeNames: ["h01"] }), extenderMutation)],
  ["/k8s/prioritize", mutated(() => ({ Pod: pod(), Nodes: { items: [{ metadata: { name: "h01" } }] } }), extenderMutation)],
];

let app: ZodApp;
const sent = new Map<string, number>();
beforeAll(async () => {
  app = await testApp({ cluster: parsedSample() });
});
afterAll(async () => {
  const total = [...sent.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} malformed bodies answered 400 (${[...sent].map(([k, n]) => `${k} ${n}`).join(", ")})`);
  await app.close();
});

async function expect400(url: string, body: unknown): Promise<void> {
  const res = await post(app, url, body);
  sent.set(url, (sent.get(url) ?? 0) + 1);
  expect(res.statusCode, `${url} ${typeof body === "string" ? body : JSON.stringify(body)} → ${res.body}`).toBe(400);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const e = res.json<{ statusCode: number; code: string; message: string; problems?: { path: string; message: string }[] }>();
  expect(e.statusCode).toBe(400);
  expect(["INVALID_INPUT", "INVALID_JSON", "EMPTY_BODY"]).toContain(e.code);
  if (e.code === "INVALID_INPUT") {
    expect(e.problems!.length).toBeGreaterThan(0);
    for (const p of e.problems!) expect(typeof p.path === "string" && p.message.length > 0).toBe(true);
  }
}

const options = (runs: number) => ({ numRuns: runs, seed: SEED, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] });

describe("fuzz: malformed bodies", () => {
  test.each(ROUTES)("%s answers every malformed document with a 400 and its problems", async (url, bodies) => {
    await fc.assert(fc.asyncProperty(bodies, (body) => expect400(url, body)), options(RUNS_PER_ROUTE));
  }, 30_000);

  test("raw text and JSON of the wrong shape are 400s at every route", async () => {
    const urls = fc.constantFrom(...ROUTES.map(([u]) => u));
    await fc.assert(fc.asyncProperty(urls, fc.oneof(rawText, wrongJson), (url, text) => expect400(url, text)), options(1000));
  }, 30_000);

  test("the server still answers /healthz and a valid request afterwards", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await post(app, "/v1/score", sampleCluster())).statusCode).toBe(200);
  });
});
