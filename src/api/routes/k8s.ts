import { renderProblems } from "../../model/problems.js";
import { HttpError, invalidInput } from "../errors.js";
import { bestHost, serialisedAnswer, vmOfPod } from "../k8s/extender.js";
import { ExtenderArgsSchema, ExtenderFilterResultSchema, HostPriorityListSchema } from "../k8s/schemas.js";
import { ERROR_RESPONSES } from "../schemas.js";
import { sendSerialised, sentUnchecked } from "../validation.js";
import type { RouteModule } from "./types.js";

const NO_CLUSTER = "vmplace serve was started without --cluster: the extender verbs need the cluster document that maps nodes to hosts";

/**
 * The kube-scheduler extender verbs. kube-scheduler's HTTPExtender treats any answer but 200 as
 * an error of the call, exactly as it treats a filter result's Error field (it logs it, and skips
 * the extender when it is ignorable), so the server's own state is an HTTP status: without a
 * cluster both verbs answer 503 NO_CLUSTER, which monitoring and load balancers see too. A pod
 * the extender cannot judge (bad annotations) is filter's Error field; prioritize has none, so
 * it is a 400 there. A body that is not ExtenderArgs at all is a 400.
 */
export const k8sRoutes: RouteModule = (app, ctx) => {
  app.post("/k8s/filter", {
    config: { limited: true },
    schema: {
      summary: "Scheduler extender filter: the nodes that may run the pod's VM, and why the others may not",
      tags: ["kubernetes"],
      body: ExtenderArgsSchema,
      response: { 200: sentUnchecked(ExtenderFilterResultSchema), ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      const empty = { Nodes: null, NodeNames: null, FailedNodes: {}, FailedAndUnresolvableNodes: {} };
      if (!ctx.prepared || !ctx.fleet.sourceCluster) throw new HttpError(503, "NO_CLUSTER", NO_CLUSTER);
      // An assumed pod is not a VM the document knows: its annotations stay the truth.
      const vm = vmOfPod(ctx.fleet.sourceCluster, request.body.Pod);
      if (!vm.ok) return { ...empty, Error: `pod ${request.body.Pod.metadata.name}: ${vm.problems.length} problem(s)\n${renderProblems(vm.problems)}` };
      // Already JSON (the schema is sentUnchecked: the serialiser would only JSON.stringify it).
      return sendSerialised(reply, serialisedAnswer("filter", ctx.prepared, request.body, vm.value));
    },
  });

  app.post("/k8s/prioritize", {
    config: { limited: true },
    schema: {
      summary: "Scheduler extender prioritize: a 0-10 score per node from vmplace's weighted plugins",
      tags: ["kubernetes"],
      body: ExtenderArgsSchema,
      response: { 200: sentUnchecked(HostPriorityListSchema), ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (!ctx.prepared || !ctx.fleet.sourceCluster) throw new HttpError(503, "NO_CLUSTER", NO_CLUSTER);
      const vm = vmOfPod(ctx.fleet.sourceCluster, request.body.Pod);
      if (!vm.ok) throw invalidInput(vm.problems);
      // Answer and best host from the state before the pod counts, then it counts against the
      // node ranked first until a refresh shows where it runs (FleetState.assume).
      const answer = serialisedAnswer("prioritize", ctx.prepared, request.body, vm.value);
      const best = bestHost(ctx.prepared, request.body, vm.value);
      if (best !== undefined) ctx.fleet.assume(vm.value, best);
      return sendSerialised(reply, answer);
    },
  });
};
