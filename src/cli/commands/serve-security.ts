import type { Command } from "commander";
import { exposureProblem, OPENABLE_PATHS, type ApiAuth, type OpenablePath } from "../../api/server.js";
import { InputError } from "../../io/load.js";
import { readPem, readToken } from "../../io/secrets.js";

export interface SecurityFlags {
  host: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  insecure?: boolean;
  open?: string;
}

/** addSecurityOptions: how `vmplace serve` authenticates callers once it leaves loopback. */
export function addSecurityOptions(cmd: Command): Command {
  return cmd
    .option("--token-file <file>", "require Authorization: Bearer <the file's token>, at least 16 characters (default: none)")
    .option("--tls-cert <file>", "serve HTTPS with this certificate, PEM (default: none, plain HTTP)")
    .option("--tls-key <file>", "the certificate's private key, PEM (default: none)")
    .option("--client-ca <file>", "mutual TLS: accept client certificates this CA signed, PEM (default: none)")
    .option("--insecure", "allow listening beyond loopback without a token or mutual TLS")
    .option("--open <paths>", `paths anyone may call even with authentication on: a comma list of ${OPENABLE_PATHS.join(", ")} (default: none)`);
}

export interface Security {
  auth: ApiAuth;
  tls?: { key: Buffer; cert: Buffer; clientCa?: Buffer };
  warnings: string[];
}

/**
 * securityFromFlags reads the token and TLS files and checks the combination: a certificate needs
 * its key, a client CA needs HTTPS, and any address beyond loopback needs a token or mutual TLS
 * unless --insecure (then the server refuses to start, exit 2).
 */
export function securityFromFlags(f: SecurityFlags): Security {
  if ((f.tlsCert === undefined) !== (f.tlsKey === undefined)) throw new InputError("--tls-cert and --tls-key go together");
  if (f.clientCa !== undefined && f.tlsCert === undefined) throw new InputError("--client-ca needs HTTPS: give --tls-cert and --tls-key too");
  const warnings: string[] = [];
  let token: string | undefined;
  if (f.tokenFile !== undefined) {
    const t = readToken(f.tokenFile, "--token-file");
    token = t.token;
    if (t.warning) warnings.push(t.warning);
  }
  const open = openPaths(f.open);
  const tls = f.tlsCert !== undefined && f.tlsKey !== undefined
    ? { cert: readPem(f.tlsCert, "--tls-cert"), key: readPem(f.tlsKey, "--tls-key"), ...(f.clientCa !== undefined ? { clientCa: readPem(f.clientCa, "--client-ca") } : {}) }
    : undefined;
  const auth: ApiAuth = { ...(token ? { token } : {}), mutualTls: tls?.clientCa !== undefined, open };
  const problem = exposureProblem(f.host, auth, f.insecure === true);
  if (problem) throw new InputError(problem);
  if (token && !tls) warnings.push("the bearer token travels in clear text over plain HTTP: add --tls-cert and --tls-key");
  if (open.length > 0 && !token && !auth.mutualTls) warnings.push("--open has no effect without --token-file or --client-ca: every path is open");
  return { auth, tls, warnings };
}

function openPaths(text: string | undefined): OpenablePath[] {
  if (text === undefined) return [];
  const parts = text.split(",").map((s) => s.trim().replace(/^\//, "")).filter((s) => s !== "");
  const bad = parts.filter((p) => !(OPENABLE_PATHS as readonly string[]).includes(p));
  if (bad.length > 0) throw new InputError(`--open: ${bad.join(", ")} cannot be opened (only ${OPENABLE_PATHS.join(", ")})`);
  return parts as OpenablePath[];
}
