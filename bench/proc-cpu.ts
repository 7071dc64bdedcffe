import { readFileSync } from "node:fs";

/** The kernel's USER_HZ, in which /proc reports CPU time (100 on Linux's every architecture here). */
const CLOCK_TICKS = 100;

/**
 * cpuSeconds: user + system CPU of a live process and all its threads (V8's compiler and GC
 * threads included), from /proc (Linux; NaN elsewhere). Unlike wall time, it does not grow when
 * the machine's other users take the cores.
 */
export function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
