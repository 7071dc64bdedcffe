import { createHash, timingSafeEqual } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import { HttpError } from "./errors.js";

/** Paths that may stay open to anyone when the operator says so (probes and scrapes). */
export const OPENABLE_PATHS = ["healthz", "readyz", "metrics"] as const;
export type OpenablePath = (typeof OPENABLE_PATHS)[number];

/**
 * ApiAuth: who may call the service. With neither a token nor mutual TLS every request passes
 * (the default: loopback only). With either, a request passes with a matching bearer token or a
 * client certificate the client CA signed; the listed probe paths pass without.
 */
export interface ApiAuth {
  readonly token?: string;
  /** Client certificates are requested and verified against the server's client CA (set from the TLS options). */
  readonly mutualTls?: boolean;
  readonly open?: readonly OpenablePath[];
}

export const unauthorized = (why: string): HttpError => new HttpError(401, "UNAUTHORIZED", why);

/**
 * installAuth checks every request before anything else runs. The token is compared in constant
 * time: both sides are hashed to 32 bytes first, so neither the length nor the first wrong byte
 * leaks through timing.
 */
export function installAuth(app: FastifyInstance, auth: ApiAuth): void {
  if (!auth.token && !auth.mutualTls) return;
  const want = auth.token ? digest(auth.token) : undefined;
  const open = new Set((auth.open ?? []).map((p) => `/${p}`));
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0];
    if (open.has(path)) return;
    if (auth.mutualTls && (request.raw.socket as TLSSocket).authorized === true) return;
    const header = request.headers.authorization;
    const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (want && m && timingSafeEqual(digest(m[1]), want)) return;
    reply.header("www-authenticate", auth.token ? 'Bearer realm="vmplace"' : 'Mutual-TLS realm="vmplace"');
    throw unauthorized(
      m ? "the bearer token is not valid" : auth.token && auth.mutualTls ? "give a bearer token or a client certificate the server trusts" : auth.token ? "a bearer token is required (Authorization: Bearer ...)" : "a client certificate the server trusts is required",
    );
  });
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

/** isLoopback: the address reaches only this machine. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/**
 * exposureProblem: why the service must not listen on `host` as configured, or undefined. Off
 * loopback it needs a bearer token or mutual TLS, unless the operator says --insecure.
 */
export function exposureProblem(host: string, auth: ApiAuth, insecure: boolean): string | undefined {
  if (isLoopback(host) || insecure || auth.token || auth.mutualTls) return undefined;
  return `--host ${host} is reachable from other machines: give --token-file or mutual TLS (--tls-cert, --tls-key, --client-ca), or --insecure to serve without authentication`;
}
