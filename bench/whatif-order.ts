import { HostState } from "../src/interference/host-state.js";
import { Query } from "../src/interference/query.js";
import { record, replay, thisBuild } from "./whatif-trace.js";

/**
 * whatif-order: how many victim tests the placer's own what-ifs (whatif-trace.ts) make before
 * their answer, by kind of candidate (CPU-bound: with a CPU shape; io-only; the rest) and answer,
 * counted on one replay with Query's victim tests wrapped. A refusal after k tests spent k - 1
 * passing tests a better victim order would skip.
 *
 *   node dist/bench/whatif-order.js
 */
async function main(): Promise<void> {
  const t = await record();
  const side = thisBuild(t);
  const table = side.table;
  let tests = 0;
  let selfTests = 0;
  const qp = Query.prototype;
  const { withinSloRow, withinSloKept, withinSloSelfRow } = qp;
  // The last victim test's row: mixed (R_LIGHT 0) or io-only, and how it refused.
  let lastMixed = false;
  let lastCompsBuilt = false;
  let lastRefusal = -1;
  let lastEpisodes = false;
  qp.withinSloRow = function (this: Query, ...a: Parameters<Query["withinSloRow"]>) {
    tests++;
    lastMixed = a[0][a[1] + 1] === 0;
    const ok = withinSloRow.apply(this, a);
    lastCompsBuilt = !(this as unknown as { compsDue: boolean }).compsDue;
    lastRefusal = this.refusal;
    lastEpisodes = (this as unknown as { withEpisodes: boolean }).withEpisodes;
    return ok;
  };
  qp.withinSloKept = function (this: Query, ...a: Parameters<Query["withinSloKept"]>) {
    tests++;
    return withinSloKept.apply(this, a);
  };
  let lastSelfOk = true;
  qp.withinSloSelfRow = function (this: Query, ...a: Parameters<Query["withinSloSelfRow"]>) {
    selfTests++;
    return (lastSelfOk = withinSloSelfRow.apply(this, a));
  };
  // Per candidate: its last self test's answer (1 passed, 2 failed). Refusals by the newcomer
  // after victims were tested, by kind, and the victim tests they made; those whose candidate
  // failed itself when last judged (on any host).
  const selfLast = new Uint8Array(table.length);
  const selfAfter = [0, 0, 0];
  const selfAfterTests = [0, 0, 0];
  const selfAfterKnown = [0, 0, 0];
  const selfAfterKnownTests = [0, 0, 0];
  // [kind][ok]: what-ifs that tested a victim, victim tests, self tests; refusals by tests made (1, 2, 3, 4+).
  const stats = [0, 1, 2].map(() => [0, 1].map(() => ({ asks: 0, tests: 0, self: 0, byTests: [0, 0, 0, 0, 0] })));
  const how = new Map<string, number>();
  // Each what-if's class (index into `classes`; -1: answered without a query), for the timing below.
  const classes: string[] = [];
  const cls = new Int16Array(t.fits).fill(-1);
  let at = 0;
  const classOf = (key: string): number => {
    let c = classes.indexOf(key);
    if (c < 0) c = classes.push(key) - 1;
    return c;
  };
  const hp = HostState.prototype;
  const { fitsAt } = hp;
  hp.fitsAt = function (this: HostState, tt, j, v) {
    const k = at++;
    const t0 = tests;
    const s0 = selfTests;
    const ok = fitsAt.call(this, tt, j, v);
    const n = tests - t0;
    if (n === 0 && selfTests === s0) return ok;
    const part = table.part(j, this.mix, { vcpus: 0, duty: 0, burstUs: 1 }, { vcpus: 0, duty: 0, burstUs: 1 });
    const kind = table.shape(j) >= 0 ? 0 : part !== undefined && part.block !== undefined ? 1 : 2;
    const s = stats[kind][ok ? 1 : 0];
    s.asks++;
    s.tests += n;
    s.self += selfTests - s0;
    s.byTests[Math.min(n, 4)]++;
    cls[k] = classOf(`${names[kind]} ${ok ? "accepted" : "refused"}`);
    if (selfTests !== s0) {
      if (!ok && !lastSelfOk && n > 0) {
        selfAfter[kind]++;
        selfAfterTests[kind] += n;
        if (selfLast[j] === 2) {
          selfAfterKnown[kind]++;
          selfAfterKnownTests[kind] += n;
        }
      }
      selfLast[j] = lastSelfOk ? 1 : 2;
    }
    if (kind === 0 && !ok && n === 1) {
      const key = `${lastMixed ? "mixed" : "io"} refusal ${lastRefusal} comps ${lastCompsBuilt ? "built" : "due"}${lastEpisodes ? " with OVER episodes" : ""}`;
      how.set(key, (how.get(key) ?? 0) + 1);
      cls[k] = classOf(`CPU-bound refused after one test: ${key}`);
    }
    return ok;
  };
  const names = ["CPU-bound (shape)", "io-only", "other"];
  replay(t, side);
  Object.assign(qp, { withinSloRow, withinSloKept, withinSloSelfRow });
  hp.fitsAt = fitsAt;
  console.log(`refused by the newcomer after victim tests (CPU-bound / io-only / other): ${selfAfter.join(" / ")} queries, ${selfAfterTests.join(" / ")} victim tests; of which the candidate failed itself when last judged: ${selfAfterKnown.join(" / ")} queries, ${selfAfterKnownTests.join(" / ")} tests`);
  for (const [k, v] of [...how].sort((a, b) => b[1] - a[1])) console.log(`  CPU-bound refused after one test: ${k}: ${v}`);
  for (let k = 0; k < 3; k++)
    for (const ok of [0, 1]) {
      const s = stats[k][ok];
      console.log(`${names[k]} ${ok ? "accepted" : "refused"}: ${s.asks} queries, ${s.tests} victim tests (${(s.tests / Math.max(1, s.asks)).toFixed(3)} each), ${s.self} self tests; by victim tests 0/1/2/3/4+: ${s.byTests.join(" / ")}`);
    }
  // Each what-if's fastest of `rounds` unwrapped replays (hrtime, the timer's cost taken off), summed by class.
  const rounds = Number(process.argv[2] ?? 3);
  const fastest = new Float64Array(t.fits).fill(Infinity);
  for (let r = 0; r < rounds; r++) {
    const states = t.hosts.map((h) => new HostState(h, side.predictor));
    let f = 0;
    for (let i = 0; i < t.n; i++) {
      const op = t.ops[3 * i];
      const s = states[t.ops[3 * i + 1]];
      const j = t.ops[3 * i + 2];
      if (op === 0) {
        const t0 = process.hrtime.bigint();
        s.fitsAt(table, j, side.candidateVictims[j]);
        const dt = Number(process.hrtime.bigint() - t0);
        if (dt < fastest[f]) fastest[f] = dt;
        f++;
      } else if (op === 1) s.add(t.profiles[j], side.victims[j]);
      else s.remove(t.profiles[j], side.victims[j]);
    }
  }
  let timer = Infinity;
  for (let r = 0; r < 100_000; r++) {
    const a = process.hrtime.bigint();
    timer = Math.min(timer, Number(process.hrtime.bigint() - a));
  }
  const sums = new Map<string, [number, number]>();
  for (let f = 0; f < t.fits; f++) {
    const key = cls[f] < 0 ? "answered without a query" : classes[cls[f]];
    const e = sums.get(key) ?? [0, 0];
    e[0]++;
    e[1] += fastest[f] - timer;
    sums.set(key, e);
  }
  console.log(`each what-if's fastest of ${rounds} replays (timer ${timer} ns taken off), by class:`);
  for (const [k, [n, ns]] of [...sums].sort((a, b) => b[1][1] - a[1][1])) console.log(`  ${k}: ${n} x ${(ns / n / 1000).toFixed(2)} µs = ${(ns / 1e9).toFixed(3)} s`);
}

await main();
