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

/**
 * progress draws a bar redrawn in place on a terminal, and plain lines every 10% otherwise (CI
 * logs and pipes cannot take carriage returns). It redraws only when the whole percent changes.
 */
export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let shown = -1;
  const tty = stream.isTTY === true;
  return {
    update(fraction) {
      const pct = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      if (pct === shown) return;
      if (tty) {
        const filled = Math.round((pct / 100) * BAR_WIDTH);
        stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${pct}%`);
        shown = pct;
      } else if (Math.floor(pct / LINE_STEP_PERCENT) > Math.floor(shown / LINE_STEP_PERCENT)) {
        stream.write(`${label}: ${pct}%\n`);
        shown = pct;
      }
    },
    done() {
      if (tty && shown >= 0) stream.write("\r\x1b[2K");
    },
  };
}
