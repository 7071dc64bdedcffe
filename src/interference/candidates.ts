import type { CpuPart, MutablePart } from "./core/cpu-part.js";
import type { HostMix } from "./core/host-mix.js";
import { lightPartOf, type Predictor, type Victim } from "./predictor.js";
import type { VmProfile } from "./profile.js";
import { CORE_NAMES } from "./core/scheduler-core.js";
import { NO_SHAPE, shapeId } from "./cpu-shapes.js";
import { doubles, R_SLO_BITS, ROW, sloBits, unmetEpoch } from "./victim-rows.js";

/**
 * CandidateTable: what a what-if reads of the VM it asks about, for every VM of a fleet, as
 * WIDTH doubles per VM in one Float64Array (HostState.fitsAt). A candidate as objects is a
 * VmProfile, its CPU part and its io part: on a placer sweeping random VMs over 1,000 hosts each
 * is a cold cache line of its own; its row here is one. A latency-sensitive VM judging itself
 * reads its Victim.row, copied into `victims` (plain doubles, as the host rows the same code
 * reads), with the SLO bits as they count now: written when markUnmeetable last ran (its epoch
 * beside them), rewritten from the Victim when it ran since.
 */
export const WIDTH = 11;
/** 0: no CPU part and no io part; 1: a CPU-bound part (vCPUs, duty, burst); 2: a light one (vCPUs, requests/s per vCPU, service). */
const C_KIND = 0;
const C_VCPUS = 1;
const C_DUTY = 2;
const C_BURST = 3;
/** Neighbour reasons (range.ts) the VM brings, as Predictor.outsideFlags. */
const C_FLAGS = 4;
/** Its requests per second (the driver domain's load; 0 without io). */
const C_RATE = 5;
/** Its victim's finite SLOs (bits 1 p99, 2 p99.9; 0 for no victim). */
const C_SLO = 6;
/** A CPU-bound VM's shape id (cpu-shapes.ts; NO_SHAPE for others, and past MAX_SHAPES). */
const C_SHAPE = 7;
/** A multi-vCPU sleepy mixed VM's requests' load in cores (CpuPart.siblingIo), 0 for others. */
const C_SIBIO = 8;
/** A sleepy mixed VM's request wakes per µs (CpuPart.ioWakesUs), 0 for others. */
const C_IOWAKES = 9;
/**
 * The CPU shape with its request wakes in the key (C_SHAPE without them): only a core that reads
 * the wakes (credit2's grant-end term, Mechanisms.credit2MixedWakes) needs them apart; on every
 * other host two candidates that differ only in their requests get the same answer, and keeping
 * them apart cost random-pair what-ifs ~9% (bench side by side, session 25).
 */
const C_SHAPE_WAKES = 10;

/** A victim's row: its Victim.row (ROW terms and the correction's part of every core). */
const VWIDTH = ROW + 2 * CORE_NAMES.length;

const KIND_CPU = 1;
const KIND_LIGHT = 2;

export class CandidateTable {
  /**
   * The unmetEpoch each victim row's SLO bits were written at: a cache stamp, not part of the
   * table's value (a private field, so that tables of equal rows compare equal).
   */
  readonly #stamps: Float64Array;
  /** Bumped by set: a what-if's answer a host keeps for VM j of this table (HostState.fitsAt) is stale after it. */
  #version = 0;

  private constructor(
    readonly rows: Float64Array,
    /** Victim rows (VWIDTH doubles per VM, zeros for VMs without a victim). */
    readonly victims: number[],
  ) {
    this.#stamps = new Float64Array(rows.length / WIDTH).fill(-1);
  }

  /** of builds the rows of `profiles` with their victim terms (index j is VM j). */
  static of(profiles: readonly VmProfile[], victims: readonly (Victim | undefined)[], predictor: Predictor): CandidateTable {
    const t = new CandidateTable(new Float64Array(profiles.length * WIDTH), doubles(profiles.length * VWIDTH));
    profiles.forEach((p, j) => t.set(j, p, victims[j], predictor));
    return t;
  }

  /** version: how many rows set wrote (a cache stamp, as #stamps). */
  get version(): number {
    return this.#version;
  }

  get length(): number {
    return this.rows.length / WIDTH;
  }

  /** set rewrites VM j's row (a slot whose VM changed). */
  set(j: number, p: VmProfile, v: Victim | undefined, predictor: Predictor): void {
    this.#version++;
    const r = this.rows;
    const o = j * WIDTH;
    r.fill(0, o, o + WIDTH);
    if (p.cpu) {
      r[o + C_KIND] = KIND_CPU;
      r[o + C_VCPUS] = p.cpu.vcpus;
      r[o + C_DUTY] = p.cpu.duty;
      r[o + C_BURST] = p.cpu.burstUs;
      r[o + C_SIBIO] = p.cpu.siblingIo ?? 0;
      r[o + C_IOWAKES] = p.cpu.ioWakesUs ?? 0;
    } else if (p.io) {
      // The light part's inputs as vmPart computes them (the same division, so the same bits).
      r[o + C_KIND] = KIND_LIGHT;
      r[o + C_VCPUS] = p.vcpus;
      r[o + C_DUTY] = p.io.requestsPerSec / p.vcpus;
      r[o + C_BURST] = p.io.serviceUs;
    }
    r[o + C_FLAGS] = predictor.outsideFlags(p);
    r[o + C_SHAPE] = p.cpu ? shapeId(p.cpu.vcpus, p.cpu.duty, p.cpu.burstUs, r[o + C_FLAGS], r[o + C_SIBIO]) : NO_SHAPE;
    r[o + C_SHAPE_WAKES] = p.cpu ? shapeId(p.cpu.vcpus, p.cpu.duty, p.cpu.burstUs, r[o + C_FLAGS], r[o + C_SIBIO], r[o + C_IOWAKES]) : NO_SHAPE;
    r[o + C_RATE] = p.io?.requestsPerSec ?? 0;
    r[o + C_SLO] = v ? v.row[R_SLO_BITS] : 0;
    const w = this.victims;
    const at = j * VWIDTH;
    for (let k = 0; k < VWIDTH; k++) w[at + k] = 0;
    if (!v) return;
    for (let k = 0; k < v.row.length; k++) w[at + k] = v.row[k];
    this.refreshSlos(j, v);
  }

  /** refreshSlos writes the SLO bits of VM j's victim row as they count now (as writeRow does a host's). */
  private refreshSlos(j: number, v: Victim): void {
    this.victims[j * VWIDTH + R_SLO_BITS] = sloBits(v) | (v.estimateSlos << 2);
    this.#stamps[j] = unmetEpoch();
  }

  /** inserted: a table with VM `at`'s row inserted (insertVm); this one is unchanged. */
  inserted(at: number, p: VmProfile, v: Victim | undefined, predictor: Predictor): CandidateTable {
    const rows = new Float64Array(this.rows.length + WIDTH);
    rows.set(this.rows.subarray(0, at * WIDTH));
    rows.set(this.rows.subarray(at * WIDTH), (at + 1) * WIDTH);
    const old = this.victims;
    const victims = doubles(old.length + VWIDTH);
    for (let k = 0; k < at * VWIDTH; k++) victims[k] = old[k];
    for (let k = at * VWIDTH; k < old.length; k++) victims[k + VWIDTH] = old[k];
    const t = new CandidateTable(rows, victims);
    t.set(at, p, v, predictor);
    return t;
  }

  flags(j: number): number {
    return this.rows[j * WIDTH + C_FLAGS];
  }

  rate(j: number): number {
    return this.rows[j * WIDTH + C_RATE];
  }

  /** heavy: VM j's CPU-bound vCPUs (0 for io and idle VMs). */
  heavy(j: number): number {
    const o = j * WIDTH;
    return this.rows[o + C_KIND] === KIND_CPU ? this.rows[o + C_VCPUS] : 0;
  }

  /**
   * shape: VM j's CPU shape id (cpu-shapes.ts), NO_SHAPE for a VM without a CPU-bound part;
   * `wakes`: the id that tells its request wakes apart, for a host whose core reads them.
   */
  shape(j: number, wakes = false): number {
    return this.rows[j * WIDTH + (wakes ? C_SHAPE_WAKES : C_SHAPE)];
  }

  /**
   * selfBits: the SLOs VM j's own victim `v` (p.victims[j]) is judged on, as its host rows hold
   * them (bits 1-2 checked, shifted by 2 those judged by the estimate; 0 for none).
   */
  selfBits(j: number, v: Victim | undefined): number {
    if (v === undefined || this.rows[j * WIDTH + C_SLO] === 0) return 0;
    if (this.#stamps[j] !== unmetEpoch()) this.refreshSlos(j, v);
    return this.victims[j * VWIDTH + R_SLO_BITS];
  }

  /** victimAt: where VM j's victim row starts in `victims`. */
  victimAt(j: number): number {
    return j * VWIDTH;
  }

  /**
   * part: VM j's CPU part on `mix`'s host, as vmPart gives it: a CPU-bound one written into
   * `cpu`, a light one into `light` (under the host's core), undefined for neither.
   */
  part(j: number, mix: HostMix, cpu: MutablePart, light: MutablePart): CpuPart | undefined {
    const r = this.rows;
    const o = j * WIDTH;
    const kind = r[o + C_KIND];
    if (kind === KIND_CPU) {
      cpu.vcpus = r[o + C_VCPUS];
      cpu.duty = r[o + C_DUTY];
      cpu.burstUs = r[o + C_BURST];
      const sib = r[o + C_SIBIO];
      cpu.siblingIo = sib > 0 ? sib : undefined;
      const wakes = r[o + C_IOWAKES];
      cpu.ioWakesUs = wakes > 0 ? wakes : undefined;
      return cpu;
    }
    return kind === KIND_LIGHT ? lightPartOf(mix, r[o + C_VCPUS], r[o + C_DUTY], r[o + C_BURST], light) : undefined;
  }
}
