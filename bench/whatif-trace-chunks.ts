import { dirname } from "node:path";
import { otherBuild, record, thisBuild, type ReplaySide, type Trace } from "./whatif-trace.js";

/**
 * whatif-trace-chunks: the placer's own what-ifs (whatif-trace.ts) replayed by this build and
 * another in one process, alternating every CHUNK operations rather than every round: on a shared
 * machine whose load moves within seconds, a round-by-round A/B (whatif-trace-ab.ts) read the
 * same build 0.91-1.54x apart from round to round. Each side keeps its own host states through
 * the trace; each chunk's CPU time is the fastest of the rounds, and the sides' sums of them are
 * compared (with the moves, and the moves alone from a replay of the moves only). Every answer is
 * checked against the recording.
 *
 *   node dist/bench/whatif-trace-chunks.js /work/main/dist/src [rounds]
 */
const CHUNK = 50_000;

/** cpuMs: this process's CPU time, ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Run {
  readonly side: ReplaySide;
  readonly states: InstanceType<ReplaySide["HostState"]>[];
  /** What-ifs answered so far (the index of the next recorded answer). */
  k: number;
}

/** chunk replays operations [from, to) of the trace on `run` (`movesOnly`: the adds and removes alone), returning its CPU ms. */
function chunk(t: Trace, run: Run, from: number, to: number, movesOnly: boolean): number {
  const { table, victims, candidateVictims, name } = run.side;
  const t0 = cpuMs();
  for (let i = from; i < to; i++) {
    const op = t.ops[3 * i];
    const s = run.states[t.ops[3 * i + 1]];
    const j = t.ops[3 * i + 2];
    if (op === 0) {
      if (movesOnly) continue;
      const ok = s.fitsAt(table, j, candidateVictims[j]);
      if ((ok ? 1 : 0) !== t.answers[run.k]) throw new Error(`whatif-trace-chunks: ${name}'s what-if ${run.k} answered ${ok}, recorded ${t.answers[run.k] === 1}`);
      run.k++;
    } else if (op === 1) s.add(run.side.profiles[j], victims[j]);
    else s.remove(run.side.profiles[j], victims[j]);
  }
  return cpuMs() - t0;
}

async function main(): Promise<void> {
  const other = process.argv[2];
  const rounds = Number(process.argv[3] ?? 4);
  if (!other) throw new Error("usage: whatif-trace-chunks <other build's dist/src> [rounds]");
  const t = await record();
  const sides: ReplaySide[] = [thisBuild(t), await otherBuild(t, other)];
  const chunks = Math.ceil(t.n / CHUNK);
  // [moves only][side][chunk]: the fastest CPU ms of the rounds.
  const fastest = [0, 1].map(() => sides.map(() => new Float64Array(chunks).fill(Infinity)));
  const ratios: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const movesOnly of [false, true]) {
      const runs: Run[] = sides.map((side) => ({ side, states: t.hosts.map((h) => new side.HostState(h, side.predictor)), k: 0 }));
      const total = [0, 0];
      for (let c = 0; c < chunks; c++) {
        const from = c * CHUNK;
        const to = Math.min(t.n, from + CHUNK);
        for (const i of (c + r) % 2 === 0 ? [0, 1] : [1, 0]) {
          const ms = chunk(t, runs[i], from, to, movesOnly);
          total[i] += ms;
          const f = fastest[movesOnly ? 1 : 0][i];
          if (ms < f[c]) f[c] = ms;
        }
      }
      if (!movesOnly) ratios.push((total[1] / total[0]).toFixed(3));
    }
  }
  const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
  console.log(`placer's own what-ifs (${(t.fits / 1e6).toFixed(2)} M), ${chunks} chunks of ${CHUNK.toLocaleString("en-US")} operations alternating between the builds, each chunk's fastest of ${rounds} rounds (${dirname(other)}):`);
  sides.forEach((s, i) => {
    const all = sum(fastest[0][i]);
    const moves = sum(fastest[1][i]);
    console.log(`  ${s.name}: ${(all / 1000).toFixed(3)} CPU-s, moves alone ${(moves / 1000).toFixed(3)}; ${(t.fits / (all - moves) / 1000).toFixed(2)} M what-ifs per CPU-second without the moves, ${(t.fits / all / 1000).toFixed(2)} M with them`);
  });
  console.log(`  other / this, with the moves: ${(sum(fastest[0][1]) / sum(fastest[0][0])).toFixed(3)} (sums of fastest chunks); per round ${ratios.join(" ")}`);
}

await main();
