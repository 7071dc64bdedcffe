import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CLI_TIMEOUT_MS } from "../helpers/cli.js";

// scripts/refresh-references.mjs re-simulates the multi-queue credit2 compositions of every round's
// reference after a simulator change that acts only there (sessions 22 and 24). Bad arguments are
// usage errors (exit 2, a message naming the flag, nothing written), and a reference already made
// by this simulator is left as it is, so a rerun after an interrupted refresh costs nothing.
const SCRIPT = "scripts/refresh-references.mjs";

function run(args: string[]): { code: number; stderr: string } {
  if (!existsSync("dist/src/interference/eval/reference.js")) throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe("scripts/refresh-references.mjs", () => {
  test.each([
    [["--workers", "x"], /--workers: expected a positive integer, got "x"/],
    [["--kept", "0", "--check"], /--kept: expected a positive integer, got "0"/],
    [["--bogus"], /unknown option --bogus/],
    [["holdout-99"], /unknown round holdout-99 \(known: holdout-1, /],
  ])("%j is a usage error", (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.m?js:\d+/);
  }, CLI_TIMEOUT_MS);

  test("a reference already made by this simulator is kept byte for byte", () => {
    const path = "data/interference/accuracy-reference-holdout2-v1.json";
    const before = readFileSync(path);
    const r = run(["holdout-2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/holdout-2: already made with this simulator \([0-9a-f]{8}\), kept/);
    expect(readFileSync(path).equals(before)).toBe(true);
  }, CLI_TIMEOUT_MS);
});
