import { z } from "zod";
import { ClusterSchema, VmSchema } from "../model/cluster.js";
import { HostSimResultSchema, ScenarioSchema } from "../model/scenario.js";
import { parseCluster } from "../model/validate.js";
import { PlacementScoreSchema } from "../interference/current-placement.js";
import { ApiErrorSchema } from "./errors.js";
import { withParser } from "./validation.js";

/**
 * apiRegistry names the schemas that appear in the OpenAPI document as components. It is the
 * API's own registry, not zod's global one, so naming them here changes nothing for the model.
 * The provider derives "<Id>Input" variants for request bodies (defaults optional) by itself.
 */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

/** named registers a schema as an OpenAPI component and returns it. */
export function named<S extends z.ZodType>(schema: S, id: string, description?: string): S {
  apiRegistry.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

// The model's documents, validated with their full parsers (references, duplicates, fit).
withParser(ClusterSchema, parseCluster);
named(ClusterSchema, "Cluster", "Hosts, VMs (with their current host, if any), constraints and policy.");
named(VmSchema, "Vm", "One virtual machine: size, workload, SLO, labels.");
named(ScenarioSchema, "Scenario", "One host and the VMs on it, for a simulation.");
named(HostSimResultSchema, "HostSimResult", "Per-VM latency percentiles and CPU shares of one simulated host.");
named(PlacementScoreSchema, "PlacementScore", "Status, interference risk per host and per latency-sensitive VM, and hard violations of the current placement.");
named(ApiErrorSchema, "Error", "Every non-2xx answer.");

/**
 * ERROR_RESPONSES: the error statuses a work route may answer, all of them the Error component:
 * 400 invalid input (every problem with its JSON path), 401 no valid token or client certificate
 * (when the server requires one), 413 body over the limit, 415 not JSON,
 * 500 internal (details only in the server log), 503 overloaded (see Retry-After), 504 the
 * request's time budget ran out.
 */
export const ERROR_RESPONSES = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  413: ApiErrorSchema,
  415: ApiErrorSchema,
  500: ApiErrorSchema,
  503: ApiErrorSchema,
  504: ApiErrorSchema,
} as const;
