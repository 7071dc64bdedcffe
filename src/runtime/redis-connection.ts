import { Redis } from "ioredis";
import { checkRedisUrl, CONNECT_TIMEOUT_MS, RedisUnreachableError } from "./redis-url.js";

/**
 * probeRedis connects once, with no retries, and pings: an unreachable server is reported within
 * CONNECT_TIMEOUT_MS instead of ioredis's default of retrying forever in the background.
 */
export async function probeRedis(url: string): Promise<void> {
  checkRedisUrl(url);
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  probe.on("error", () => {}); // reported through connect()'s rejection below
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer")), CONNECT_TIMEOUT_MS + 500).unref());
  try {
    await Promise.race([probe.connect().then(() => probe.ping()), timer]);
  } catch (e) {
    throw new RedisUnreachableError(url, e instanceof Error ? e.message || e.name : String(e));
  } finally {
    probe.disconnect();
  }
}

/**
 * redisClient opens a long-lived connection for BullMQ: it reconnects on its own after a Redis
 * restart, and commands wait for it (BullMQ needs maxRetriesPerRequest null on its blocking
 * connections). `onError` hears connection errors, which ioredis would otherwise print itself.
 */
export function redisClient(url: string, onError: (e: Error) => void): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS });
  client.on("error", onError);
  return client;
}
