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
  const hp = HostState.prototype;
  const { fitsAt } = hp;
  hp.fitsAt = function (this: HostState, tt, j, v) {
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
    }
    return ok;
  };
  replay(t, side);
  console.log(`refused by the newcomer after victim tests (CPU-bound / io-only / other): ${selfAfter.join(" / ")} queries, ${selfAfterTests.join(" / ")} victim tests; of which the candidate failed itself when last judged: ${selfAfterKnown.join(" / ")} queries, ${selfAfterKnownTests.join(" / ")} tests`);
  for (const [k, v] of [...how].sort((a, b) => b[1] - a[1])) console.log(`  CPU-bound refused after one test: ${k}: ${v}`);
  const names = ["CPU-bound (shape)", "io-only", "other"];
  for (let k = 0; k < 3; k++)
    for (const ok of [0, 1]) {
      const s = stats[k][ok];
      console.log(`${names[k]} ${ok ? "accepted" : "refused"}: ${s.asks} queries, ${s.tests} victim tests (${(s.tests / Math.max(1, s.asks)).toFixed(3)} each), ${s.self} self tests; by victim tests 0/1/2/3/4+: ${s.byTests.join(" / ")}`);
    }
}

await main();
