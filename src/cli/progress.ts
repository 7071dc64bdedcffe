import type cliProgress from "cli-progress";
import { createRequire } from "node:module";

// Loaded on a terminal's first bar: every command imports this module, few draw a bar.
const require = createRequire(import.meta.url);
let bars: typeof cliProgress | undefined;

/** Progress shows how far long work has got, on stderr so stdout stays clean for data. */
export interface Progress {
  /** update takes the fraction done, in [0, 1]; cheap enough to call per item. */
  update(fraction: number): void;
  /** done removes the bar (a TTY) so the summary that follows starts on a clean line. */
  done(): void;
}

export const NO_PROGRESS: Progress = { update() {}, done() {} };

const BAR_WIDTH = 30;
const LINE_STEP_PERCENT = 10;

/** Bars drawing now: a bar redraws on a timer, which would keep a failed command's process alive. */
const drawing = new Set<cliProgress.SingleBar>();

/**
 * stopProgress stops every bar still drawing (the CLI calls it when a command ends, however it
 * ends, so a command that failed half-way neither hangs on the bar's timer nor leaves it drawn).
 */
export function stopProgress(): void {
  for (const bar of drawing) bar.stop();
  drawing.clear();
}

/**
 * progress draws a bar on a terminal (cli-progress, redrawn in place at most 10 times a second)
 * and plain lines every 10% otherwise: CI logs and pipes cannot take carriage returns, and whole
 * steps keep such logs the same from run to run.
 */
export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY === true ? terminalBar(label, stream) : plainLines(label, stream);
}

function percent(fraction: number): number {
  return Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
}

function terminalBar(label: string, stream: NodeJS.WriteStream): Progress {
  bars ??= require("cli-progress") as typeof cliProgress;
  const bar = new bars.SingleBar({
    format: `${label} [{bar}] {percentage}%`,
    stream,
    barsize: BAR_WIDTH,
    barCompleteChar: "#",
    barIncompleteChar: ".",
    hideCursor: false,
    clearOnComplete: true,
    // The CLI stops bars itself (stopProgress); SIGINT keeps its default: end the process.
    gracefulExit: false,
  });
  let started = false;
  return {
    update(fraction) {
      const pct = percent(fraction);
      if (!started) {
        bar.start(100, pct);
        drawing.add(bar);
        started = true;
      } else bar.update(pct);
    },
    done() {
      if (!started || !drawing.delete(bar)) return;
      bar.stop();
    },
  };
}

function plainLines(label: string, stream: NodeJS.WriteStream): Progress {
  let shown = -1;
  return {
    update(fraction) {
      const pct = percent(fraction);
      if (Math.floor(pct / LINE_STEP_PERCENT) <= Math.floor(shown / LINE_STEP_PERCENT)) return;
      stream.write(`${label}: ${pct}%\n`);
      shown = pct;
    },
    done() {},
  };
}
