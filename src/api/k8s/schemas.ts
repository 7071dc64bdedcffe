import { z } from "zod";
import { named } from "../schemas.js";

/**
 * The kube-scheduler extender protocol (k8s.io/kube-scheduler/extender/v1). Its Go structs have
 * no json tags, so the wire names are the Go field names: "Pod", "Nodes", "NodeNames",
 * "FailedNodes", "Error", "Host", "Score". Nil pointers arrive as null, hence `nullish`. Pods and
 * nodes are full Kubernetes objects: only the fields vmplace reads are declared, the rest pass.
 */
const Quantity = z.union([z.string().max(64), z.number()]);
const ResourceList = z.record(z.string(), Quantity);

const ContainerSchema = z.looseObject({
  name: z.string().optional(),
  resources: z
    .looseObject({ requests: ResourceList.nullish(), limits: ResourceList.nullish() })
    .nullish(),
});

const ObjectMetaSchema = z.looseObject({
  name: z.string().min(1).max(253),
  namespace: z.string().max(253).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
});

export const PodSchema = named(
  z.looseObject({
    metadata: ObjectMetaSchema,
    spec: z.looseObject({ containers: z.array(ContainerSchema).max(1000).nullish() }).nullish(),
  }),
  "Pod",
  "A Kubernetes Pod (only metadata and spec.containers[].resources are read).",
);
export type Pod = z.infer<typeof PodSchema>;

export const NodeSchema = z.looseObject({ metadata: ObjectMetaSchema });
export type Node = z.infer<typeof NodeSchema>;

export const NodeListSchema = z.looseObject({ items: z.array(NodeSchema).max(100_000).nullish() });

export const ExtenderArgsSchema = named(
  z.looseObject({
    Pod: PodSchema,
    /** Candidate nodes, sent when the extender is not nodeCacheCapable. */
    Nodes: NodeListSchema.nullish(),
    /** Candidate node names, sent when the extender is nodeCacheCapable. */
    NodeNames: z.array(z.string()).max(100_000).nullish(),
  }),
  "ExtenderArgs",
);
export type ExtenderArgs = z.infer<typeof ExtenderArgsSchema>;

export const ExtenderFilterResultSchema = named(
  z.strictObject({
    Nodes: NodeListSchema.nullable(),
    NodeNames: z.array(z.string()).nullable(),
    /** Node name → why vmplace rejects it; the scheduler may preempt to make room there. */
    FailedNodes: z.record(z.string(), z.string()),
    /** Node name → why no preemption can help (a hard label, a VM larger than the node). */
    FailedAndUnresolvableNodes: z.record(z.string(), z.string()),
    Error: z.string(),
  }),
  "ExtenderFilterResult",
);
export type ExtenderFilterResult = z.infer<typeof ExtenderFilterResultSchema>;

/** MAX_EXTENDER_PRIORITY: extender scores run 0..10 (extenderv1.MaxExtenderPriority). */
export const MAX_EXTENDER_PRIORITY = 10;

export const HostPriorityListSchema = named(
  z.array(z.strictObject({ Host: z.string(), Score: z.number().int().min(0).max(MAX_EXTENDER_PRIORITY) })),
  "HostPriorityList",
);
export type HostPriorityList = z.infer<typeof HostPriorityListSchema>;
