import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { exposureProblem, isLoopback } from "../../src/api/auth.js";
import { runCli } from "../helpers/cli.js";
import { expectError, sampleCluster, testApp } from "./helper.js";

const TOKEN = "6f1d2c3b4a5968778695a4b3c2d1e0f1";
const score = sampleCluster();

describe("bearer token", () => {
  let app: ZodApp;
  beforeAll(async () => {
    app = await testApp({ auth: { token: TOKEN, open: ["healthz", "readyz"] } });
  });
  afterAll(() => app.close());

  const call = (url: string, authorization?: string) =>
    app.inject({ method: url === "/v1/score" ? "POST" : "GET", url, payload: url === "/v1/score" ? score : undefined, headers: authorization ? { authorization } : {} });

  test("a request without a token is refused with 401 and says how to authenticate", async () => {
    const res = await call("/v1/score");
    const body = expectError(res, 401, "UNAUTHORIZED");
    expect(body.message).toMatch(/bearer token is required/);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  test.each([`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, "Bearer nope", `Basic ${TOKEN}`])("a wrong token (%s) is refused", async (h) => {
    expectError(await call("/v1/score", h), 401, "UNAUTHORIZED");
  });

  test("the right token passes, on work routes and on /metrics", async () => {
    const res = await call("/v1/score", `Bearer ${TOKEN}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ hosts: unknown[] }>().hosts.length).toBe(8);
    expect((await call("/metrics", `bearer ${TOKEN}`)).statusCode).toBe(200);
  });

  test("paths opened by flag answer without a token; the others do not", async () => {
    expect((await call("/healthz")).statusCode).toBe(200);
    expect((await call("/readyz")).statusCode).toBe(200);
    expectError(await call("/metrics"), 401);
    expectError(await call("/openapi.json"), 401);
  });
});

describe("mutual TLS (certificates made with openssl)", () => {
  const dir = mkdtempSync(join(tmpdir(), "vmplace-tls-"));
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  let app: ZodApp;
  let port = 0;

  /** A CA, a certificate it signs for `cn` (with subjectAltName), both in dir. */
  function issue(ca: string, name: string, cn: string, ext: string): void {
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    writeFileSync(f(`${name}.ext`), ext);
    ssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
  }

  beforeAll(async () => {
    for (const ca of ["ca", "rogue-ca"]) ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${ca}.key`, "-out", `${ca}.crt`, "-days", "2", "-subj", `/CN=${ca}`);
    issue("ca", "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    issue("ca", "client", "operator", "extendedKeyUsage=clientAuth\n");
    issue("rogue-ca", "rogue", "operator", "extendedKeyUsage=clientAuth\n");
    app = await testApp({ tls: { key: readFileSync(f("server.key")), cert: readFileSync(f("server.crt")), clientCa: readFileSync(f("ca.crt")) }, auth: { open: ["healthz", "readyz"] } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    port = (app.server.address() as { port: number }).port;
  }, 60_000);
  afterAll(() => app.close());

  function get(path: string, client?: "client" | "rogue"): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path, method: "GET", ca: readFileSync(f("ca.crt")), ...(client ? { cert: readFileSync(f(`${client}.crt`)), key: readFileSync(f(`${client}.key`)) } : {}) },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  test("a client certificate the client CA signed is let in", async () => {
    const r = await get("/metrics", "client");
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/vmplace_http_requests_total/);
  });

  test("a certificate from another CA, or none, gets 401", async () => {
    for (const who of ["rogue", undefined] as const) {
      const r = await get("/metrics", who);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/client certificate/) });
    }
  });

  test("an opened probe answers a client without a certificate", async () => {
    expect((await get("/healthz")).status).toBe(200);
  });
});

describe("where the server may listen", () => {
  test.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
  ])("%s is loopback: %s", (host, loop) => {
    expect(isLoopback(host)).toBe(loop);
    expect(exposureProblem(host, {}, false) === undefined).toBe(loop);
  });

  test("beyond loopback, a token, mutual TLS or --insecure lets it listen", () => {
    expect(exposureProblem("0.0.0.0", { token: TOKEN }, false)).toBeUndefined();
    expect(exposureProblem("0.0.0.0", { mutualTls: true }, false)).toBeUndefined();
    expect(exposureProblem("0.0.0.0", {}, true)).toBeUndefined();
  });

  const dir = mkdtempSync(join(tmpdir(), "vmplace-serve-"));
  test.each([
    [["--host", "0.0.0.0"], /--host 0\.0\.0\.0 is reachable from other machines: give --token-file or mutual TLS/],
    [["--host", "0.0.0.0", "--token-file", "SHORT"], /the token has 5 characters; use at least 16/],
    [["--tls-cert", "x.pem"], /--tls-cert and --tls-key go together/],
    [["--host", "0.0.0.0", "--token-file", "TOKEN", "--open", "healthz,admin"], /--open: admin cannot be opened/],
  ])("vmplace serve %j refuses to start: exit 2", (args, message) => {
    writeFileSync(join(dir, "SHORT"), "short\n");
    writeFileSync(join(dir, "TOKEN"), `${TOKEN}\n`);
    chmodSync(join(dir, "TOKEN"), 0o600);
    const r = runCli(["serve", "--port", "0", ...args.map((a) => (a === "SHORT" || a === "TOKEN" ? join(dir, a) : a))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
