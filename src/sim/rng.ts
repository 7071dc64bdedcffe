import seedrandom from "seedrandom";

/**
 * Rng is a seeded stream of random numbers. The simulator never calls Math.random: every draw
 * comes from a stream derived from (scenario seed, stream name).
 */
export interface Rng {
  /** next is uniform in [0, 1). */
  next(): number;
  /** uniform is uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** exp draws an exponential with the given mean (> 0), never negative. */
  exp(mean: number): number;
  /** int is a uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * createRng makes the named substream of a seed. Streams are keyed by name rather than handed out
 * in order, so adding a VM (a new name) leaves every other VM's draws unchanged; name them by
 * stable ids (`vm:web-1:io`), never by position.
 *
 * Alea is used because it is among seedrandom's fastest generators and is well distributed for
 * simulation (not cryptographic, which we do not need).
 */
export function createRng(seed: number, stream: string): Rng {
  return new AleaRng(seedrandom.alea(`${seed}/${stream}`));
}

class AleaRng implements Rng {
  constructor(private readonly prng: seedrandom.PRNG) {}

  next(): number {
    return this.prng();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  exp(mean: number): number {
    // 1 - u lies in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.prng());
  }

  int(n: number): number {
    return Math.floor(this.prng() * n);
  }
}
