import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { CandidateTable } from "../src/interference/candidates.js";
import { HostState } from "../src/interference/host-state.js";
import type { VmProfile } from "../src/interference/profile.js";
import type { Predictor, Victim } from "../src/interference/predictor.js";
import { loadPredictor } from "../src/io/calibration.js";
import type { Host } from "../src/model/cluster.js";
import { parseCluster } from "../src/model/validate.js";
import { planCluster } from "../src/placement/plan.js";

/**
 * The placer's own what-ifs, not random ones: the what-if loop of bench/whatif.ts asks random
 * (host, VM) pairs of a fleet that never changes, so every answer HostState keeps per host and
 * candidate shape is found again and again; the placer's search changes the hosts it asks about.
 * This records every fitsAt, add and remove the placer makes in a search on generated-large
 * (HostState's methods wrapped while it runs), then replays them on fresh HostStates of the same
 * hosts and times the replay: its what-ifs per CPU-second, the adds and removes between them
 * included (they are part of the placer's loop). Each replayed answer must equal the recorded one.
 */
const ITERATIONS = 20_000;

const enum Op {
  Fits = 0,
  Add = 1,
  Remove = 2,
}

export interface Trace {
  ops: Int32Array;
  n: number;
  hosts: Host[];
  predictor: Predictor;
  table: CandidateTable | undefined;
  profiles: VmProfile[];
  victims: (Victim | undefined)[];
  /** The Victim each what-if passed for candidate j (the problem's, by table index). */
  candidateVictims: (Victim | undefined)[];
  /** The profiles and victims the candidate table was built of (index j is candidate j), to build another build's table. */
  candidates: { profiles: readonly VmProfile[]; victims: readonly (Victim | undefined)[] } | undefined;
  answers: Uint8Array;
  fits: number;
}

function grow(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** record runs the placer's search with HostState's what-if and moves logged. */
export async function record(): Promise<Trace> {
  const predictor = loadPredictor();
  const r = parseCluster(JSON.parse(readFileSync("data/generated-large.json", "utf8")));
  if (!r.ok) throw new Error("generated-large.json is invalid");
  const t: Trace = { ops: new Int32Array(1 << 20), n: 0, hosts: [], predictor, table: undefined, profiles: [], victims: [], candidateVictims: [], answers: new Uint8Array(1 << 20), fits: 0, candidates: undefined };
  const hostIds = new Map<HostState, number>();
  const profileIds = new Map<VmProfile, number>();
  const hostOf = (s: HostState): number => {
    let id = hostIds.get(s);
    if (id === undefined) {
      id = t.hosts.length;
      hostIds.set(s, id);
      t.hosts.push(s.host);
    }
    return id;
  };
  const push = (op: Op, host: number, j: number): void => {
    t.ops = grow(t.ops, 3 * (t.n + 1));
    t.ops[3 * t.n] = op;
    t.ops[3 * t.n + 1] = host;
    t.ops[3 * t.n + 2] = j;
    t.n++;
  };
  const profileOf = (p: VmProfile, v: Victim | undefined): number => {
    let id = profileIds.get(p);
    if (id === undefined) {
      id = t.profiles.length;
      profileIds.set(p, id);
      t.profiles.push(p);
      t.victims.push(v);
    }
    return id;
  };
  const proto = HostState.prototype;
  const { fitsAt, add, remove } = proto;
  const tableOf = CandidateTable.of;
  const built = new Map<CandidateTable, { profiles: readonly VmProfile[]; victims: readonly (Victim | undefined)[] }>();
  CandidateTable.of = (profiles, victims, p) => {
    const table = tableOf.call(CandidateTable, profiles, victims, p);
    built.set(table, { profiles, victims });
    return table;
  };
  proto.fitsAt = function (this: HostState, table: CandidateTable, j: number, v: Victim | undefined): boolean {
    if (t.table !== undefined && t.table !== table) throw new Error("whatif-trace: the search asked two candidate tables");
    t.table = table;
    t.candidateVictims[j] = v;
    const ok = fitsAt.call(this, table, j, v);
    push(Op.Fits, hostOf(this), j);
    if (t.fits >= t.answers.length) {
      const b = new Uint8Array(t.answers.length * 2);
      b.set(t.answers);
      t.answers = b;
    }
    t.answers[t.fits++] = ok ? 1 : 0;
    return ok;
  };
  proto.add = function (this: HostState, p: VmProfile, v: Victim | undefined): void {
    push(Op.Add, hostOf(this), profileOf(p, v));
    add.call(this, p, v);
  };
  proto.remove = function (this: HostState, p: VmProfile, v: Victim | undefined): void {
    push(Op.Remove, hostOf(this), profileOf(p, v));
    remove.call(this, p, v);
  };
  try {
    await planCluster(r.value, predictor, { solver: "heuristic", iterations: ITERATIONS, timeBudgetMs: 3_600_000, now: () => performance.now(), explain: false });
  } finally {
    Object.assign(proto, { fitsAt, add, remove });
    CandidateTable.of = tableOf;
  }
  t.candidates = t.table ? built.get(t.table) : undefined;
  return t;
}

/**
 * ReplaySide is the build a replay runs on: its HostState class, predictor, candidate table and
 * the victims of the trace's moves and what-ifs (another build's, in whatif-trace-ab.ts).
 */
export interface ReplaySide {
  readonly name: string;
  readonly HostState: typeof HostState;
  readonly predictor: Predictor;
  readonly table: CandidateTable;
  readonly victims: readonly (Victim | undefined)[];
  readonly candidateVictims: readonly (Victim | undefined)[];
  /**
   * The profiles the trace's moves pass (index j is the trace's profile j): the build's own
   * (profileVm of the same VM), since the shape of its objects is the build's too: handed the
   * recording build's, another build's moves read objects of a layout it never makes (session 22,
   * docs/accuracy.md "the sibling count's speed").
   */
  readonly profiles: readonly VmProfile[];
}

/** thisBuild: the side of the build that recorded the trace. */
export function thisBuild(t: Trace): ReplaySide {
  if (!t.table) throw new Error("whatif-trace: the search asked no candidate table");
  return { name: "this", HostState, predictor: t.predictor, table: t.table, victims: t.victims, candidateVictims: t.candidateVictims, profiles: t.profiles };
}

/**
 * otherBuild: the side of another build (its dist/src at `dir`) for the same trace, so two builds
 * replay it in one process (whatif-trace-ab.ts, whatif-trace-min.ts). It gets its own predictor,
 * candidate table and victims, their unmeetable SLOs copied; the same VM's Victim is one object
 * in the trace's moves and its what-ifs, so it is one object in the other build too.
 */
export async function otherBuild(t: Trace, dir: string): Promise<ReplaySide> {
  if (!t.candidates) throw new Error("whatif-trace: the search asked no candidate table");
  const at = (p: string) => pathToFileURL(resolve(dir, p)).href;
  const hs = (await import(at("interference/host-state.js"))) as typeof import("../src/interference/host-state.js");
  const { loadPredictor: load } = (await import(at("io/calibration.js"))) as typeof import("../src/io/calibration.js");
  const { CandidateTable: OtherTable } = (await import(at("interference/candidates.js"))) as typeof import("../src/interference/candidates.js");
  const { profileVm } = (await import(at("interference/profile.js"))) as typeof import("../src/interference/profile.js");
  const { parseCluster: parse } = (await import(at("model/validate.js"))) as typeof import("../src/model/validate.js");
  const r = parse(JSON.parse(readFileSync("data/generated-large.json", "utf8")));
  if (!r.ok) throw new Error("generated-large.json is invalid");
  const vms = new Map(r.value.vms.map((vm) => [vm.id, vm]));
  const own = (p: VmProfile): VmProfile => {
    const vm = vms.get(p.id);
    if (vm === undefined) throw new Error(`whatif-trace: the other build sees no VM ${p.id}`);
    return profileVm(vm);
  };
  const predictor = load();
  const theirs = new Map<Victim, Victim>();
  const convert = (v: Victim | undefined, p: Parameters<Predictor["victim"]>[0]): Victim | undefined => {
    if (v === undefined) return undefined;
    let w = theirs.get(v);
    if (w === undefined) {
      w = predictor.victim(p);
      if (w === undefined) throw new Error("whatif-trace: the other build sees no victim");
      w.unmetSlos = v.unmetSlos;
      w.estimateSlos = v.estimateSlos;
      theirs.set(v, w);
    }
    return w;
  };
  const c = t.candidates;
  const candidates = c.profiles.map(own);
  const candidateVictims = candidates.map((p, j) => convert(c.victims[j], p));
  const profiles = t.profiles.map(own);
  return {
    name: "other",
    HostState: hs.HostState as unknown as typeof HostState,
    predictor,
    table: OtherTable.of(candidates, candidateVictims, predictor),
    victims: t.victims.map((v, i) => convert(v, profiles[i])),
    candidateVictims,
    profiles,
  };
}

/**
 * replay asks the trace's what-ifs again on fresh HostStates of `side` (CPU ms); the recorded
 * answers check it. `movesOnly`: its adds and removes alone, the same host states in the same order.
 */
export function replay(t: Trace, side: ReplaySide, movesOnly = false): number {
  const states = t.hosts.map((h) => new side.HostState(h, side.predictor));
  const { table, victims, candidateVictims, profiles } = side;
  const u0 = process.cpuUsage();
  let k = 0;
  for (let i = 0; i < t.n; i++) {
    const op = t.ops[3 * i];
    const s = states[t.ops[3 * i + 1]];
    const j = t.ops[3 * i + 2];
    if (op === Op.Fits) {
      if (movesOnly) continue;
      const ok = s.fitsAt(table, j, candidateVictims[j]);
      if ((ok ? 1 : 0) !== t.answers[k]) throw new Error(`whatif-trace: ${side.name}'s what-if ${k} answered ${ok}, recorded ${t.answers[k] === 1}`);
      k++;
    } else if (op === Op.Add) s.add(profiles[j], victims[j]);
    else s.remove(profiles[j], victims[j]);
  }
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
}

/**
 * OwnRates: the placer's own what-ifs per CPU-second (M), over the what-ifs' time alone and over
 * the whole replay, the adds and removes the search made between them included.
 */
export interface OwnRates {
  readonly withoutMoves: number;
  readonly withMoves: number;
}

/**
 * benchWhatIfTrace records the placer's search once and replays it `rounds` times, printing the
 * fastest replay's rates (the machine is shared) and returning them.
 */
export async function benchWhatIfTrace(rounds = 3): Promise<OwnRates> {
  const t = await record();
  const side = thisBuild(t);
  const moves = t.n - t.fits;
  let best = Infinity;
  let movesBest = Infinity;
  for (let r = 0; r < rounds; r++) {
    best = Math.min(best, replay(t, side));
    movesBest = Math.min(movesBest, replay(t, side, true));
  }
  const rate = t.fits / (best - movesBest) / 1000;
  const withMoves = t.fits / best / 1000;
  const head = `placer's own what-ifs (${ITERATIONS.toLocaleString("en-US")}-iteration search on generated-large, replayed, fastest of ${rounds}):`;
  console.log(`${head} ${(t.fits / 1e6).toFixed(2)} M what-ifs and ${(moves / 1e3).toFixed(0)} k adds and removes in ${(best / 1000).toFixed(2)} CPU-s, the moves alone ${(movesBest / 1000).toFixed(2)}`);
  console.log(`  what-ifs per CPU-second: ${rate.toFixed(2)} M without the moves, ${withMoves.toFixed(2)} M with them (goal >= 1 M per core, with them)`);
  return { withoutMoves: rate, withMoves };
}
