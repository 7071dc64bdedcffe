#!/usr/bin/env node
// refresh-references: after a simulator change that can act only on multi-queue credit2 hosts
// (xen-credit2 with cores > maxCpusPerRunqueue: session 22's balance load, session 24's initial
// placement), re-simulate those compositions of every round's reference with referenceJobs' own
// seeds, keep every other entry as it is, and stamp the new simFingerprint. A full rebuild
// (`vmplace accuracy --rebuild-reference`) gives the same file at 3-4x the cost; check a sample
// with --check (below) after a refresh.
//
// Usage (from the package root, after `npm run build`):
//   node scripts/refresh-references.mjs [--workers N] [ROUND ...]
//       refresh the references of the named rounds (default: every round whose file exists); it
//       only simulates, so a sealed round's reference can be refreshed without measuring it.
//   node scripts/refresh-references.mjs --check [--workers N] [--kept K] [ROUND ...]
//       re-simulate K (default 1) kept and 1 re-simulated composition per round from scratch and
//       compare the entries byte for byte (exit 1 on a difference).
import { existsSync } from "node:fs";
import { drawRound, EVAL_ROUNDS } from "../dist/src/interference/eval/compositions.js";
import { assembleReference, keptAcrossChange, multiQueueCredit2, referenceJobs, REFERENCE_SPEC, simFingerprint, toSimulate } from "../dist/src/interference/eval/reference.js";
import { loadReference, saveReference } from "../dist/src/io/accuracy-reference.js";
import { bundledPath } from "../dist/src/io/paths.js";
import { WorkerPool } from "../dist/src/runtime/sim-pool.js";

const log = (s) => process.stderr.write(`${new Date().toISOString()} ${s}\n`);
/** usage: a clear error and exit 2, as the CLI's bad input (no stack trace, nothing written). */
const usage = (msg) => {
  process.stderr.write(`refresh-references: ${msg}\n`);
  process.exit(2);
};
const args = process.argv.slice(2);
const check = args.includes("--check");
/** A flag's positive integer value (its default when absent). */
const intFlag = (flag, dflt) => {
  const i = args.indexOf(flag);
  if (i < 0) return [dflt, -1];
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) usage(`${flag}: expected a positive integer, got ${JSON.stringify(args[i + 1] ?? "")}`);
  return [v, i + 1];
};
const [workers, wv] = intFlag("--workers", 2);
const [nKept, kv] = intFlag("--kept", 1);
const unknown = args.filter((a) => a.startsWith("--") && !["--check", "--workers", "--kept"].includes(a));
if (unknown.length) usage(`unknown option ${unknown[0]}`);
const names = args.filter((a, i) => !a.startsWith("--") && i !== wv && i !== kv);
const missing = names.filter((n) => !EVAL_ROUNDS.some((r) => r.name === n));
if (missing.length) usage(`unknown round ${missing.join(", ")} (known: ${EVAL_ROUNDS.map((r) => r.name).join(", ")})`);
const rounds = EVAL_ROUNDS.filter((r) => (names.length ? names.includes(r.name) : existsSync(bundledPath(r.reference))));
const absent = rounds.filter((r) => !existsSync(bundledPath(r.reference)));
if (absent.length) usage(`no reference file for ${absent.map((r) => `${r.name} (${r.reference})`).join(", ")}: build it with vmplace accuracy --rebuild-reference`);
const fp = simFingerprint();
const pool = new WorkerPool(workers);
let bad = 0;
try {
  for (const r of rounds) {
    const path = bundledPath(r.reference);
    const file = loadReference(path);
    const comps = drawRound(r);
    if (check) {
      if (file.sim.fingerprint !== fp) throw new Error(`${r.name}: reference not refreshed (fingerprint ${file.sim.fingerprint}, simulator ${fp})`);
      const kept = comps.filter((c) => !multiQueueCredit2(c));
      const redone = comps.filter(multiQueueCredit2);
      // One kept and one re-simulated composition per round (--kept 2 for two kept), spread over the round.
      const sample = [...Array.from({ length: nKept }, (_, i) => kept[Math.floor((i * kept.length) / nKept)]), redone[Math.floor(redone.length / 2)]].filter((c) => c !== undefined);
      const results = await pool.runAll(referenceJobs(sample));
      const fresh = assembleReference(sample, results, r.seeds, REFERENCE_SPEC, new Map(), r.sets);
      for (const e of fresh.compositions) {
        const same = JSON.stringify(e) === JSON.stringify(file.compositions.find((x) => x.id === e.id));
        if (!same) bad++;
        log(`${r.name} ${e.id} (${multiQueueCredit2(comps.find((c) => c.id === e.id)) ? "re-simulated" : "kept"}): ${same ? "identical" : "DIFFERS"}`);
      }
      continue;
    }
    // Made by this simulator already (a rerun after an interrupted refresh): its runs are the ones
    // a refresh would make, since run seeds follow from composition ids.
    if (file.sim.fingerprint === fp) {
      log(`${r.name}: already made with this simulator (${fp}), kept`);
      continue;
    }
    const keep = keptAcrossChange(file, comps, multiQueueCredit2);
    const fresh = toSimulate(comps, keep);
    log(`${r.name}: ${comps.length} compositions, ${fresh.length} to re-simulate (${keep.size} kept)`);
    const t0 = Date.now();
    const results = await pool.runAll(referenceJobs(fresh));
    saveReference(path, assembleReference(comps, results, r.seeds, REFERENCE_SPEC, keep, r.sets), true);
    log(`${r.name}: wrote ${r.reference} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
} finally {
  await pool.close();
}
if (bad > 0) {
  log(`${bad} entries differ`);
  process.exit(1);
}
