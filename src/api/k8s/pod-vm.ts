import { VmSchema, type Vm } from "../../model/cluster.js";
import type { ParseResult, Problem } from "../../model/problems.js";
import type { Pod } from "./schemas.js";
import { bytesToMiB, cpuToVcpus, parseQuantity } from "./quantity.js";

/**
 * Pod annotations that describe the VM a (KubeVirt virt-launcher) pod runs. Sizes come from the
 * containers' resource requests unless `vcpus` overrides them: KubeVirt requests only a tenth of
 * a core per guest vCPU by default, which says nothing about how many vCPUs the guest has.
 */
export const ANNOTATIONS = {
  workload: "vmplace.io/workload",
  requestsPerSec: "vmplace.io/requests-per-sec",
  serviceUs: "vmplace.io/service-us",
  dutyCycle: "vmplace.io/duty-cycle",
  burstMs: "vmplace.io/burst-ms",
  sloP99Ms: "vmplace.io/slo-p99-ms",
  sloP999Ms: "vmplace.io/slo-p999-ms",
  vcpus: "vmplace.io/vcpus",
} as const;

const WORKLOADS = ["io", "cpu", "mixed", "idle"] as const;
type AnnotationKey = keyof typeof ANNOTATIONS;

const annotationPath = (key: AnnotationKey): string => `Pod.metadata.annotations["${ANNOTATIONS[key]}"]`;

/** The VM document fields each annotation fills, to point schema problems back at the annotation. */
const FIELD_TO_ANNOTATION: [RegExp, AnnotationKey][] = [
  [/^workload(\.io)?\.requestsPerSec$/, "requestsPerSec"],
  [/^workload(\.io)?\.serviceUs$/, "serviceUs"],
  [/^workload(\.cpu)?\.dutyCycle$/, "dutyCycle"],
  [/^workload(\.cpu)?\.burstMs$/, "burstMs"],
  [/^slo\.p99Ms$/, "sloP99Ms"],
  [/^slo\.p999Ms$/, "sloP999Ms"],
  [/^vcpus$/, "vcpus"],
];

/**
 * vmIdOfPod is the VM id a pod stands for: namespace/name, as a cluster document would name it.
 * A KubeVirt virt-launcher pod (labels kubevirt.io=virt-launcher, kubevirt.io/domain=VMI) stands
 * for its VM, namespace/VMI, the id `import --format prometheus --profile cadvisor` gives it: so a
 * refresh that shows the VM ends the pod's assumption, and a migration's target pod is judged as
 * the VM moving rather than as a second VM.
 */
export function vmIdOfPod(pod: Pod): string {
  const labels = pod.metadata.labels ?? {};
  const domain = labels["kubevirt.io"] === "virt-launcher" ? labels["kubevirt.io/domain"] : undefined;
  return `${pod.metadata.namespace ?? "default"}/${domain || pod.metadata.name}`;
}

/**
 * podToVm reads the VM a pod describes. Without a workload annotation the VM is taken as CPU-bound
 * at a duty cycle of 1: unknown work is assumed to use every vCPU it asked for, which protects
 * the latency-sensitive VMs already on a node. Every problem names the annotation or field to fix.
 */
export function podToVm(pod: Pod): ParseResult<Vm> {
  const problems: Problem[] = [];
  const ann = pod.metadata.annotations ?? {};
  const num = (key: AnnotationKey): number | undefined => {
    const text = ann[ANNOTATIONS[key]];
    if (text === undefined) return undefined;
    const n = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(n)) problems.push({ path: annotationPath(key), message: `"${text}" is not a number` });
    return Number.isFinite(n) ? n : undefined;
  };
  const written = ann[ANNOTATIONS.workload] ?? "cpu";
  const known = (WORKLOADS as readonly string[]).includes(written);
  if (!known) problems.push({ path: annotationPath("workload"), message: `"${written}" is not one of ${WORKLOADS.join(", ")}` });
  // An unknown kind is reported once; reading the rest as "cpu" keeps its follow-on problems out.
  const kind = known ? written : "cpu";
  const io = { requestsPerSec: num("requestsPerSec"), serviceUs: num("serviceUs") };
  const cpu = { dutyCycle: num("dutyCycle") ?? (kind === "cpu" ? 1 : undefined), burstMs: num("burstMs") };
  const workload = kind === "io" ? { kind, ...io } : kind === "mixed" ? { kind, io, cpu } : kind === "idle" ? { kind } : { kind: "cpu", ...cpu };
  const p99 = num("sloP99Ms");
  const p999 = num("sloP999Ms");
  const size = podSize(pod, num("vcpus"), problems);
  const input = {
    id: vmIdOfPod(pod),
    vcpus: size.vcpus,
    memoryMiB: size.memoryMiB,
    workload,
    ...(p99 !== undefined || p999 !== undefined ? { slo: { p99Ms: p99, p999Ms: p999 } } : {}),
    labels: pod.metadata.labels ?? {},
  };
  const parsed = VmSchema.safeParse(input);
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  // A malformed annotation was left out of the VM; its schema problem would only repeat it.
  const seen = new Set(problems.map((p) => p.path));
  const more = parsed.success ? [] : parsed.error.issues.map((i) => vmIssueProblem(i.path, i.message));
  return { ok: false, problems: [...problems, ...more.filter((p) => !seen.has(p.path))] };
}

function vmIssueProblem(path: readonly PropertyKey[], message: string): Problem {
  const field = path.map(String).join(".");
  const hit = FIELD_TO_ANNOTATION.find(([re]) => re.test(field));
  if (hit) return { path: annotationPath(hit[1]), message: /received undefined/.test(message) ? "required by this workload kind" : message };
  if (field.startsWith("workload")) return { path: annotationPath("workload"), message: `${field}: ${message}` };
  if (field === "id") return { path: "Pod.metadata", message: `namespace/name: ${message}` };
  if (field === "memoryMiB") return { path: "Pod.spec.containers", message: `memory request: ${message}` };
  return { path: "Pod", message: `${field}: ${message}` };
}

/** podSize sums the containers' requests (limits where a container requests nothing). */
function podSize(pod: Pod, vcpusAnnotation: number | undefined, problems: Problem[]): { vcpus: number; memoryMiB: number } {
  let cpuCores = 0;
  let memBytes = 0;
  (pod.spec?.containers ?? []).forEach((c, k) => {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    const read = (name: "cpu" | "memory"): number => {
      const q = requests[name] ?? limits[name];
      if (q === undefined) return 0;
      const v = parseQuantity(q);
      if (v === undefined || v < 0) {
        const where = requests[name] !== undefined ? "requests" : "limits";
        problems.push({ path: `Pod.spec.containers[${k}].resources.${where}.${name}`, message: `"${q}" is not a resource quantity` });
        return 0;
      }
      return v;
    };
    cpuCores += read("cpu");
    memBytes += read("memory");
  });
  if (memBytes <= 0) problems.push({ path: "Pod.spec.containers", message: "no container requests memory: vmplace needs the VM's memory size" });
  return { vcpus: vcpusAnnotation ?? cpuToVcpus(cpuCores), memoryMiB: bytesToMiB(memBytes) };
}
