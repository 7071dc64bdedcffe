import { z } from "zod";

/**
 * How Prometheus series map onto a cluster document: which labels name a VM and its host, and
 * which series give CPU time, vCPUs, memory and host capacity. Two built-in profiles cover the
 * common exporters; a mapping file (`--mapping FILE`, JSON) picks one and overrides any field.
 * docs/operator.md lists the accepted metric names.
 */

const Regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, "is not a valid regular expression");
const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name");

const FIELDS = {
  /** Labels that name a VM, their values joined with "/" (e.g. namespace and pod). */
  vmLabels: z.array(LabelName).min(1),
  /** Applied to the joined VM name; `vmReplace` rewrites it ($1... are its groups). Default: keep it. */
  vmPattern: Regex,
  vmReplace: z.string(),
  /** The label that names the host a VM's series comes from. */
  hostLabel: LabelName,
  /** Its first group is the host id (default: the label's value without a trailing :port). */
  hostPattern: Regex,
  /** A counter of CPU seconds the VM used (all its vCPUs); read as rate() per VM and host. */
  cpuSecondsTotal: z.string().min(1),
  /** PromQL giving each VM's vCPUs, by the VM labels. */
  vcpus: z.string().min(1),
  /** PromQL giving each VM's memory in bytes, by the VM labels. */
  memoryBytes: z.string().min(1),
  /** PromQL giving each host's cores and memory (bytes), by the host label; not needed with --hosts. */
  hostCores: z.string().min(1),
  hostMemoryBytes: z.string().min(1),
};

export const MappingSchema = z.strictObject({
  ...FIELDS,
  vmPattern: FIELDS.vmPattern.default("^(.*)$"),
  vmReplace: FIELDS.vmReplace.default("$1"),
  hostPattern: FIELDS.hostPattern.default("^(.*?)(?::\\d+)?$"),
});
export type Mapping = z.infer<typeof MappingSchema>;

export const PROFILES = {
  /**
   * libvirt exporters (kumina/libvirt_exporter and its forks, inovex/prometheus-libvirt-exporter)
   * on each hypervisor, beside node_exporter for the host's size; `instance` names the host.
   */
  libvirt: {
    vmLabels: ["domain"],
    hostLabel: "instance",
    cpuSecondsTotal: "libvirt_domain_info_cpu_time_seconds_total",
    vcpus: "libvirt_domain_info_virtual_cpus",
    memoryBytes: "libvirt_domain_info_maximum_memory_bytes",
    hostCores: 'count by (instance) (node_cpu_seconds_total{mode="idle"})',
    hostMemoryBytes: "node_memory_MemTotal_bytes",
  },
  /**
   * KubeVirt's virt-launcher pods seen by cAdvisor (kubelet) and kube-state-metrics: the guest's
   * vCPUs are the compute container's CPU limit (dedicated CPUs), its memory the memory limit;
   * VM ids are namespace/vm-name, hosts are nodes.
   */
  cadvisor: {
    vmLabels: ["namespace", "pod"],
    vmPattern: "^([^/]+)/virt-launcher-(.+)-[a-z0-9]{5}$",
    vmReplace: "$1/$2",
    hostLabel: "node",
    cpuSecondsTotal: 'container_cpu_usage_seconds_total{container="compute"}',
    vcpus: 'kube_pod_container_resource_limits{resource="cpu",container="compute"}',
    memoryBytes: 'kube_pod_container_resource_limits{resource="memory",container="compute"}',
    hostCores: 'kube_node_status_capacity{resource="cpu"}',
    hostMemoryBytes: 'kube_node_status_capacity{resource="memory"}',
  },
} as const;
export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** MappingFileSchema: a profile to start from and the fields to change (no defaults: the profile's stay). */
export const MappingFileSchema = z.strictObject(FIELDS).partial().extend({ profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]).default("libvirt") });

/** resolveMapping: the profile with the file's overrides (the file already parsed). */
export function resolveMapping(file: z.infer<typeof MappingFileSchema>): Mapping {
  const { profile, ...over } = file;
  const defined = Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined));
  return MappingSchema.parse({ ...PROFILES[profile], ...defined });
}

/** vmIdOf: the VM id a series' labels give, or undefined when they lack a VM label or miss the pattern. */
export function vmIdOf(m: Mapping, labels: Readonly<Record<string, string>>): string | undefined {
  const parts = m.vmLabels.map((l) => labels[l]);
  if (parts.some((p) => p === undefined || p === "")) return undefined;
  const joined = parts.join("/");
  const re = new RegExp(m.vmPattern);
  return re.test(joined) ? joined.replace(re, m.vmReplace) : undefined;
}

/** hostIdOf: the host id a series' labels give. */
export function hostIdOf(m: Mapping, labels: Readonly<Record<string, string>>): string | undefined {
  const v = labels[m.hostLabel];
  if (v === undefined || v === "") return undefined;
  return new RegExp(m.hostPattern).exec(v)?.[1] ?? undefined;
}
