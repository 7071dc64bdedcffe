import { z } from "zod";
import { AdviceSchema } from "../../model/advice.js";
import { adviceSettingsOf, parseAdviceRequest } from "../advise/request.js";
import { PlacementScoreSchema } from "../../interference/current-placement.js";
import { scoreCurrentPlacement } from "../../placement/score-placement.js";
import type { ParseResult, Problem } from "../../model/problems.js";
import { HostSimResultSchema, type Scenario } from "../../model/scenario.js";
import { parseCluster } from "../../model/validate.js";
import type { Predictor } from "../../interference/predictor.js";
import { parseScenario } from "../../sim/simulable.js";
import { rankHosts } from "../place/rank.js";
import { parsePlaceRequest } from "../place/request.js";
import { migrationTaskOptions, parseMigrationsRequest, parsePlanRequest, parseRobustnessRequest, planTaskOptions } from "../plan/requests.js";
import { MigrationAnswerSchema, migrationAnswer, PlaceAnswerSchema, placeAnswer, PlanAnswerSchema, planAnswer } from "../status.js";
import { RobustnessReportSchema } from "../../model/objectives.js";
import type { TaskInput, TaskOutput } from "./tasks.js";

/** OffloadInput: a route's request body as text, for a worker to parse, validate and answer. */
export interface OffloadInput {
  route: OffloadRoute;
  body: string;
  /** The request's time budget, which plans and migration plans keep inside. */
  requestTimeoutMs: number;
}

/**
 * OffloadOutput: the answer as JSON text (sent as it is), the problems for the 400, or, when the
 * answer needs the main thread's state (a /v1/place without a cluster), the parsed request.
 */
export type OffloadOutput =
  | { kind: "json"; json: string }
  | { kind: "invalid-json" }
  | { kind: "problems"; problems: Problem[] }
  | { kind: "value"; value: unknown };

/** The heavy runners of the task worker, which the offloaded plan, migrate and simulate reuse. */
export interface HeavyRunners {
  simulate(input: TaskInput<"simulate">): Promise<TaskOutput<"simulate">> | TaskOutput<"simulate">;
  plan(input: TaskInput<"plan">): Promise<TaskOutput<"plan">> | TaskOutput<"plan">;
  migrate(input: TaskInput<"migrate">): Promise<TaskOutput<"migrate">> | TaskOutput<"migrate">;
  advise(input: TaskInput<"advise">): Promise<TaskOutput<"advise">> | TaskOutput<"advise">;
  robustness(input: TaskInput<"robustness">): Promise<TaskOutput<"robustness">> | TaskOutput<"robustness">;
}

interface Env {
  predictor: Predictor;
  requestTimeoutMs: number;
  runners: HeavyRunners;
}

interface OffloadedRoute<T> {
  parse(input: unknown): ParseResult<T>;
  /** The route's answer, or undefined when only the main thread can give it. */
  answer(value: T, env: Env): Promise<unknown> | unknown;
  /** The answer's schema: checked and encoded as the route's serializer would. */
  response: z.ZodType;
}

/**
 * OFFLOADED: the routes whose large bodies a worker takes, each parsed by the same function the
 * route's validator uses and answered as its handler answers, so a body gets the same reply
 * whichever thread parses it (test/api/offload.test.ts compares them).
 */
/** offloaded types one route's parts together and erases the type for the table. */
const offloaded = <T>(r: OffloadedRoute<T>): OffloadedRoute<unknown> => r as OffloadedRoute<unknown>;

const OFFLOADED = {
  score: offloaded({ parse: parseCluster, answer: (c, env) => scoreCurrentPlacement(c, env.predictor), response: PlacementScoreSchema }),
  place: offloaded({
    parse: parsePlaceRequest,
    answer: (r, env) => (r.cluster ? placeAnswer(rankHosts(r.cluster, r.vm, env.predictor, { limit: r.limit, reasons: r.reasons })) : undefined),
    response: PlaceAnswerSchema,
  }),
  simulate: offloaded<Scenario>({ parse: parseScenario, answer: (s, env) => env.runners.simulate(s), response: HostSimResultSchema }),
  plan: offloaded({
    parse: parsePlanRequest,
    answer: async ({ cluster, options }, env) => planAnswer(await env.runners.plan({ cluster, options: planTaskOptions(options, cluster.policy.timeBudgetMs, env.requestTimeoutMs) })),
    response: PlanAnswerSchema,
  }),
  migrations: offloaded({
    parse: parseMigrationsRequest,
    answer: async ({ cluster, options }, env) => migrationAnswer(await env.runners.migrate({ cluster, options: migrationTaskOptions(options, env.requestTimeoutMs) })),
    response: MigrationAnswerSchema,
  }),
  advise: offloaded({
    parse: parseAdviceRequest,
    answer: (r, env) => env.runners.advise({ cluster: r.cluster, settings: adviceSettingsOf(r) }),
    response: AdviceSchema,
  }),
  robustness: offloaded({ parse: parseRobustnessRequest, answer: (r, env) => env.runners.robustness(r), response: RobustnessReportSchema }),
};

export type OffloadRoute = keyof typeof OFFLOADED;

/** runOffloaded parses, validates and answers one request body in this (worker) thread. */
export async function runOffloaded(input: OffloadInput, predictor: Predictor, runners: HeavyRunners): Promise<OffloadOutput> {
  const route = OFFLOADED[input.route];
  let json: unknown;
  try {
    json = parseJson(input.body);
  } catch {
    return { kind: "invalid-json" };
  }
  const parsed = route.parse(json);
  if (!parsed.ok) return { kind: "problems", problems: parsed.problems };
  const answer = await route.answer(parsed.value, { predictor, requestTimeoutMs: input.requestTimeoutMs, runners });
  if (answer === undefined) return { kind: "value", value: parsed.value };
  const encoded = z.safeEncode(route.response, answer);
  if (!encoded.success) throw new Error(`${input.route} answer does not match its schema: ${encoded.error.message}`);
  return { kind: "json", json: JSON.stringify(encoded.data) };
}

/**
 * parseJson is JSON.parse with the prototype-poisoning refusal of fastify's own parser (which
 * the main thread uses for small bodies): a "__proto__" key, or a "constructor" holding a
 * "prototype", is invalid JSON there too. The check runs only when the text has them.
 */
function parseJson(text: string): unknown {
  if (!text.includes("__proto__") && !text.includes("constructor")) return JSON.parse(text);
  return JSON.parse(text, function (key, value: unknown) {
    const poisoned = key === "__proto__" || (key === "constructor" && typeof value === "object" && value !== null && Object.hasOwn(value, "prototype"));
    if (poisoned) throw new SyntaxError("forbidden prototype property");
    return value;
  });
}
