import { describe, expect, test } from "vitest";
import { progress, stopProgress } from "../../src/cli/progress.js";

/** A stderr to write to: what a terminal (isTTY) or a pipe receives, kept as text. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    text: "",
    isTTY,
    columns: 100,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("progress", () => {
  test("on a terminal, a bar with the label and the percentage, cleared when done", () => {
    const out = stream(true);
    const before = timers();
    const bar = progress("searching", out);
    bar.update(0.4);
    expect(out.text).toContain("searching [############..................] 40%");
    bar.done();
    // ESC[2K erases the line: the summary that follows starts on a clean one.
    expect(out.text.endsWith("\x1b[2K")).toBe(true);
    expect(timers()).toBe(before);
  });

  test("a bar left drawing by a failed command is stopped by stopProgress, so nothing keeps the process alive", () => {
    const before = timers();
    progress("validating", stream(true)).update(0.1);
    expect(timers()).toBeGreaterThan(before);
    stopProgress();
    expect(timers()).toBe(before);
  });

  test("elsewhere (CI logs, pipes), one plain line per 10% reached, and no control characters", () => {
    const out = stream(false);
    const bar = progress("calibrate", out);
    for (let k = 0; k <= 40; k++) bar.update(k / 40);
    bar.done();
    expect(out.text).toBe(Array.from({ length: 11 }, (_, k) => `calibrate: ${k * 10}%\n`).join(""));
  });
});
