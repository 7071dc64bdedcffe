import type { Problem } from "../model/problems.js";
import { problemsFromZod, type ParseResult } from "../model/problems.js";
import { ScenarioSchema, type Scenario } from "../model/scenario.js";
import type { SchedulerKind } from "../model/scheduler.js";
import { isSimulated, SIMULATED_KINDS } from "./schedulers/registry.js";

/**
 * The one check, shared by `vmplace simulate` and POST /v1/simulate, that a scenario can run:
 * documents accept every scheduler kind the model knows, but only the kinds the registry has a
 * policy for can be simulated. It reads the registry, so a kind that gains a policy is accepted
 * without touching this file.
 */

/** notSimulatedMessage: why a scheduler kind cannot run, naming the kinds that can. */
export function notSimulatedMessage(kind: SchedulerKind): string {
  return `scheduler kind "${kind}" is not simulated yet (simulated: ${SIMULATED_KINDS.join(", ")})`;
}

/** simulationProblems: a problem at `path` when the scheduler kind has no policy, else none. */
export function simulationProblems(kind: SchedulerKind, path: string): Problem[] {
  return isSimulated(kind) ? [] : [{ path, message: notSimulatedMessage(kind) }];
}

/** parseScenario: the scenario schema, then whether its host's scheduler can be simulated. */
export function parseScenario(input: unknown): ParseResult<Scenario> {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) return { ok: false, problems: problemsFromZod(r.error) };
  const problems = simulationProblems(r.data.host.scheduler.kind, "host.scheduler.kind");
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: r.data };
}
