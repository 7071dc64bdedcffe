import { describe, expect, test } from "vitest";
import { FleetState } from "../../src/api/fleet/state.js";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { VmSchema, type Cluster, type Vm } from "../../src/model/cluster.js";
import { bundledPredictor } from "../helpers/fixtures.js";
import { ioVm, parsedSample } from "./helper.js";

const vm = (v: unknown): Vm => VmSchema.parse(v);
const hog = (id: string): Vm => vm({ id, vcpus: 4, memoryMiB: 8192, workload: { kind: "cpu", dutyCycle: 0.9, burstMs: 30 } });
const SHAPES = [vm(ioVm("ask-io")), hog("ask-hog"), vm({ ...ioVm("ask-big"), vcpus: 8, memoryMiB: 65536 })];

/** The answers a server gives about every shape, limit 100 so every ranked host counts. */
const answers = (p: PreparedCluster) => SHAPES.map((s) => p.rank(s, { limit: 100, reasons: true }));

describe("FleetState: the extender's assumptions", () => {
  test("after any sequence of assumptions it answers as a server started on that cluster would", () => {
    const c = parsedSample();
    const state = new FleetState(bundledPredictor(), c);
    const prepared = state.current!;
    const placed: Vm[] = [];
    const steps: [Vm, string][] = [
      [hog("pod-1"), c.hosts[0].id], // new pods: added to the index as it stands
      [vm(ioVm("pod-2")), c.hosts[0].id],
      [hog("pod-3"), c.hosts[5].id],
      [hog("pod-1"), c.hosts[6].id], // assumed again elsewhere: it moves, it is not counted twice
      [{ ...hog("pod-2"), vcpus: 2 }, c.hosts[6].id], // assumed again with another shape
      [hog(c.vms[0].id), c.hosts[7].id], // a VM of the document, re-placed
    ];
    for (const [v, host] of steps) {
      const before = answers(prepared);
      state.assume(v, host);
      const at = placed.findIndex((p) => p.id === v.id);
      if (at >= 0) placed[at] = { ...v, host };
      else placed.push({ ...v, host });
      const known = new Set(c.vms.map((x) => x.id));
      const expected: Cluster = { ...c, vms: [...c.vms.map((x) => placed.find((p) => p.id === x.id) ?? x), ...placed.filter((p) => !known.has(p.id))] };
      // The same object is kept fresh (the routes hold it), and its answers changed.
      expect(state.current).toBe(prepared);
      const now = answers(prepared);
      expect(now).not.toEqual(before);
      expect(now).toEqual(answers(new PreparedCluster(expected, bundledPredictor())));
      expect(prepared.cluster.vms.filter((x) => x.id === v.id)).toEqual([{ ...v, host }]);
    }
    expect(state.assumedCount).toBe(4);
  });

  test("a pod ranked again onto the same node changes nothing (its cached verdicts stay)", () => {
    const c = parsedSample();
    const state = new FleetState(bundledPredictor(), c);
    state.assume(hog("pod-1"), c.hosts[0].id);
    const cluster = state.current!.cluster;
    const judged = state.current!.judge(hog("pod-1"));
    state.assume(hog("pod-1"), c.hosts[0].id);
    expect(state.current!.cluster).toBe(cluster);
    expect(state.current!.judge(hog("pod-1")).verdict).toBe(judged.verdict);
    state.assume(hog("pod-1"), c.hosts[1].id);
    expect(state.current!.judge(hog("pod-1")).verdict).not.toBe(judged.verdict);
  });

  test("a refresh brings the source's cluster back and forgets every assumption", () => {
    const c = parsedSample();
    const state = new FleetState(bundledPredictor(), c);
    const fresh = answers(state.current!);
    state.assume(hog("pod-1"), c.hosts[0].id);
    state.assume(hog("pod-2"), c.hosts[0].id);
    expect(answers(state.current!)).not.toEqual(fresh);
    state.refresh(c, 1);
    expect(state.assumedCount).toBe(0);
    expect(state.current!.cluster.vms).toHaveLength(c.vms.length);
    expect(answers(state.current!)).toEqual(fresh);
  });
});
