// No imports: main.ts loads this at every start, before it knows the command.

/** The exit codes of every vmplace command: scripts and orchestrators may rely on them. */
export const EXIT = {
  /** The command did what was asked and the result is whole. */
  ok: 0,
  /** A bug: the message says so; VMPLACE_DEBUG=1 prints the stack. */
  internal: 1,
  /** Bad input: usage, an invalid document, a file that cannot be read or written. */
  input: 2,
  /** The result is not whole (unplaced VMs, hard violations, SLO breaches left), per --fail-on. */
  incomplete: 3,
  /** A simulation job failed on every attempt (the job backend's workers gave up): no output written. */
  jobFailed: 4,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done, and the result is whole
  1  internal error (a bug; VMPLACE_DEBUG=1 prints the stack)
  2  bad input: usage, an invalid document, a file that cannot be read or written
  3  the result is not whole: VMs left unplaced, hard-constraint violations (in a
     plan or in the current placement), predicted or simulated SLO breaches left;
     --fail-on chooses which of them count (plan, migrate, score, validate, demo);
     advise: a host with no option that meets its SLOs in simulation;
     probe: the instance's verdict fails its --fail-on
  4  a simulation job failed on every attempt (--redis); nothing was written`;
