import { describe, expect, test } from "vitest";
import { hostIdOf, MappingFileSchema, resolveMapping, vmIdOf } from "../../src/io/prometheus/mapping.js";

describe("Prometheus label mapping", () => {
  const libvirt = resolveMapping(MappingFileSchema.parse({}));
  const cadvisor = resolveMapping(MappingFileSchema.parse({ profile: "cadvisor" }));

  test("libvirt: the domain names the VM, the instance (without its port) the host", () => {
    expect(vmIdOf(libvirt, { domain: "instance-0000abcd", instance: "hv12.dc1:9177" })).toBe("instance-0000abcd");
    expect(hostIdOf(libvirt, { domain: "x", instance: "hv12.dc1:9177" })).toBe("hv12.dc1");
    expect(hostIdOf(libvirt, { instance: "hv12" })).toBe("hv12");
    expect(vmIdOf(libvirt, { instance: "hv12" })).toBeUndefined();
  });

  test("cadvisor: a virt-launcher pod is its VM, namespace/name; other pods are not VMs", () => {
    expect(vmIdOf(cadvisor, { namespace: "shop", pod: "virt-launcher-db-1-x7k2p", node: "n3" })).toBe("shop/db-1");
    expect(vmIdOf(cadvisor, { namespace: "shop", pod: "nginx-5d9c8" })).toBeUndefined();
    expect(hostIdOf(cadvisor, { node: "n3" })).toBe("n3");
  });

  test("a mapping file overrides fields of its profile, and a bad regular expression is named", () => {
    const m = resolveMapping(MappingFileSchema.parse({ profile: "libvirt", hostLabel: "hypervisor", hostPattern: "^([^.]+)" }));
    expect(m.cpuSecondsTotal).toBe("libvirt_domain_info_cpu_time_seconds_total");
    expect(hostIdOf(m, { hypervisor: "hv7.example.org" })).toBe("hv7");
    const bad = MappingFileSchema.safeParse({ vmPattern: "(" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["vmPattern"], message: "is not a valid regular expression" });
    expect(MappingFileSchema.safeParse({ hostLabel: "not a label" }).success).toBe(false);
  });
});
