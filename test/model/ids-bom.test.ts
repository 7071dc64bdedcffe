import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { idFromName } from "../../src/io/import/ids.js";
import { parseCluster } from "../../src/model/validate.js";
import { runCli } from "../helpers/cli.js";
import { tmpDir } from "../helpers/clusters.js";

const cluster = (hostId: string, vmId: string) => ({
  hosts: [{ id: hostId, cores: 4, memoryMiB: 8192 }],
  vms: [{ id: vmId, vcpus: 1, memoryMiB: 1024, workload: { kind: "idle" }, host: hostId }],
});

describe("the id grammar: letters of any script, digits and _ . : - / @", () => {
  test.each([
    ["hôte-1", "vm-ü"],
    ["数据库-主机", "虚拟机:1"],
    ["хост.2", "ns/вм@site"],
    ["मेज़बान", "vm_٣"],
  ])("%s and %s are accepted", (hostId, vmId) => {
    const r = parseCluster(cluster(hostId, vmId));
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  test.each(["a b", 'x"y', "tab\there", "smile🙂", ""])("%j is refused with the grammar in the message", (id) => {
    const r = parseCluster(cluster("h1", id));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.find((p) => p.path === "vms[0].id")?.message).toMatch(/must not be empty|may hold only letters, digits and _ \. : - \/ @/);
  });

  test("imported names keep their letters; only characters outside the grammar become _", () => {
    expect(idFromName("Zürich node 7")).toBe("Zürich_node_7");
    expect(idFromName("服务器+1")).toBe("服务器_1");
  });
});

describe("a UTF-8 byte-order mark", () => {
  test("before a cluster document is ignored, as RFC 8259 allows", () => {
    const file = join(tmpDir("vmplace-bom-"), "bom.json");
    writeFileSync(file, `\ufeff${JSON.stringify(cluster("h1", "vm1"))}`);
    const r = runCli(["validate", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bom\.json: valid/);
  });
});
