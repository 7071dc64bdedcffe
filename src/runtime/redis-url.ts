import { InputError } from "../io/load.js";

/** How long to wait for Redis before saying it is unreachable. */
export const CONNECT_TIMEOUT_MS = 3000;

/** RedisUnreachableError: --redis names a server that does not answer (exit 2: the URL is input). */
export class RedisUnreachableError extends InputError {
  constructor(
    readonly url: string,
    reason: string,
    /** Set when a run lost a Redis it had reached, after this many seconds of retrying. */
    lostForSec?: number,
  ) {
    const what = lostForSec === undefined ? `cannot reach Redis at ${redactUrl(url)} within ${CONNECT_TIMEOUT_MS / 1000} s` : `lost Redis at ${redactUrl(url)} for ${lostForSec} s during the run`;
    const hint = lostForSec === undefined ? "start Redis, fix --redis or VMPLACE_REDIS_URL, or pass --redis-fallback local" : "run the command again once Redis is back";
    super(`${what}: ${reason} (${hint})`);
    this.name = "RedisUnreachableError";
  }
}

/** redactUrl hides a password in a Redis URL, so errors and logs can name the server safely. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/** checkRedisUrl refuses anything but redis:// and rediss:// URLs, naming the flag. */
export function checkRedisUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InputError(`--redis must be a URL like redis://host:6379, got "${url}"`);
  }
  if (protocol !== "redis:" && protocol !== "rediss:") throw new InputError(`--redis must be a redis:// or rediss:// URL, got "${redactUrl(url)}"`);
}
