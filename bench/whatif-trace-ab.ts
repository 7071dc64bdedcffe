import { dirname } from "node:path";
import { otherBuild, record, replay, thisBuild, type ReplaySide } from "./whatif-trace.js";

/**
 * whatif-trace-ab: the placer's own what-ifs (whatif-trace.ts) replayed by this build and another
 * in one process, alternating round by round, so that both meet the same load: separate processes
 * alternating read the same build 3.4-4.5 CPU-s apart on a shared machine. The other build's
 * HostStates get its own predictor, victims (their unmeetable SLOs copied) and candidate table;
 * its answers are checked against the recording too.
 *
 *   node dist/bench/whatif-trace-ab.js /work/main/dist/src [rounds]
 */
async function main(): Promise<void> {
  const other = process.argv[2];
  const rounds = Number(process.argv[3] ?? 6);
  if (!other) throw new Error("usage: whatif-trace-ab <other build's dist/src> [rounds]");
  const t = await record();
  const sides: ReplaySide[] = [thisBuild(t), await otherBuild(t, other)];
  const best = sides.map(() => ({ all: Infinity, moves: Infinity }));
  const ratios: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const all = [0, 0];
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      all[i] = replay(t, sides[i], false);
      best[i].all = Math.min(best[i].all, all[i]);
      best[i].moves = Math.min(best[i].moves, replay(t, sides[i], true));
    }
    ratios.push((all[1] / all[0]).toFixed(2));
  }
  const line = (i: number): string => {
    const b = best[i];
    return `${sides[i].name}: ${(b.all / 1000).toFixed(2)} CPU-s, moves alone ${(b.moves / 1000).toFixed(2)}; ${(t.fits / (b.all - b.moves) / 1000).toFixed(2)} M what-ifs per CPU-second without the moves, ${(t.fits / b.all / 1000).toFixed(2)} M with them`;
  };
  console.log(`placer's own what-ifs (${(t.fits / 1e6).toFixed(2)} M), fastest of ${rounds} alternating rounds in one process (${dirname(other)}):`);
  console.log(`  ${line(0)}`);
  console.log(`  ${line(1)}`);
  console.log(`  other / this per round: ${ratios.join(" ")}`);
}

await main();
