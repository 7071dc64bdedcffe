import { dirname } from "node:path";
import { otherBuild, record, thisBuild, type ReplaySide, type Trace } from "./whatif-trace.js";

/**
 * whatif-trace-min: the placer's own what-ifs (whatif-trace.ts) replayed by this build and another
 * in one process, alternating round by round as whatif-trace-ab.ts does, each what-if and move
 * timed alone (hrtime, the timer's own cost taken off) and its fastest of the rounds kept. On a
 * machine shared with other sessions a round's total moves by up to 40% with the load; the sum of
 * each operation's fastest time is what the code costs when nothing else runs in between (it
 * leaves out the cache misses another process causes, so it reads lower than a round's total).
 *
 *   node dist/bench/whatif-trace-min.js /work/main/dist/src [rounds]
 */
function timed(t: Trace, side: ReplaySide, fastest: Float64Array): number {
  const states = t.hosts.map((h) => new side.HostState(h, side.predictor));
  const { table, victims, candidateVictims } = side;
  const now = process.hrtime.bigint;
  const u0 = process.cpuUsage();
  let k = 0;
  for (let i = 0; i < t.n; i++) {
    const op = t.ops[3 * i];
    const s = states[t.ops[3 * i + 1]];
    const j = t.ops[3 * i + 2];
    const t0 = now();
    if (op === 0) {
      const ok = s.fitsAt(table, j, candidateVictims[j]);
      if ((ok ? 1 : 0) !== t.answers[k]) throw new Error(`whatif-trace-min: ${side.name}'s what-if ${k} answered ${ok}, recorded ${t.answers[k] === 1}`);
      k++;
    } else if (op === 1) s.add(side.profiles[j], victims[j]);
    else s.remove(side.profiles[j], victims[j]);
    const dt = Number(now() - t0);
    if (dt < fastest[i]) fastest[i] = dt;
  }
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const other = process.argv[2];
  const rounds = Number(process.argv[3] ?? 4);
  if (!other) throw new Error("usage: whatif-trace-min <other build's dist/src> [rounds]");
  const t = await record();
  const sides: ReplaySide[] = [thisBuild(t), await otherBuild(t, other)];
  const fastest = sides.map(() => new Float64Array(t.n).fill(Infinity));
  const totals = sides.map(() => Infinity);
  for (let r = 0; r < rounds; r++) for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) totals[i] = Math.min(totals[i], timed(t, sides[i], fastest[i]));
  let timer = Infinity;
  for (let r = 0; r < 100_000; r++) {
    const a = process.hrtime.bigint();
    timer = Math.min(timer, Number(process.hrtime.bigint() - a));
  }
  console.log(`placer's own what-ifs (${(t.fits / 1e6).toFixed(2)} M), each operation's fastest of ${rounds} alternating rounds in one process (${dirname(other)}; timer ${timer} ns taken off each):`);
  sides.forEach((s, i) => {
    let fits = 0;
    let moves = 0;
    for (let k = 0; k < t.n; k++) {
      const x = fastest[i][k] - timer;
      if (t.ops[3 * k] === 0) fits += x;
      else moves += x;
    }
    console.log(`  ${s.name}: what-ifs ${(fits / 1e9).toFixed(3)} s, moves ${(moves / 1e9).toFixed(3)} s: ${((t.fits * 1e3) / (fits + moves)).toFixed(2)} M what-ifs per second with the moves, ${((t.fits * 1e3) / fits).toFixed(2)} M without (fastest timed round ${(totals[i] / 1000).toFixed(2)} CPU-s)`);
  });
}

await main();
