/**
 * Requests per principal (a user or an API key), with rate-limiter-flexible: a steady rate (per
 * second by default) plus a burst allowance per minute (its BurstyRateLimiter, a token bucket in effect).
 * With a Redis URL the counters live in Redis, so every instance spends one budget; while Redis
 * is unreachable each instance counts for itself, so limits still hold and nothing stalls.
 */
import { Redis } from "ioredis";
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

export interface RateLimitSettings {
  /** Requests a principal may send in each window, steadily … */
  requests: number;
  /** … of this many seconds. */
  windowSeconds: number;
  /** Requests beyond that a principal may send in bursts, each minute. */
  burstPerMinute: number;
}

export interface RateLimiter {
  /** Null when the request may go on; else the seconds to wait before the next one. */
  consume(principalKey: string): Promise<number | null>;
  close(): Promise<void>;
}

export function createRateLimiter(
  settings: RateLimitSettings,
  redis: { url: string; prefix: string } | undefined,
): RateLimiter {
  const client = redis
    ? new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false })
    : null;
  // ioredis reports each reconnection attempt as an error; the events module already says when
  // Redis is down, and the limiter falls back to memory meanwhile.
  client?.on("error", () => undefined);
  const limiter = (points: number, duration: number, name: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: name });
    if (!client || !redis) return memory;
    return new RateLimiterRedis({
      storeClient: client,
      points,
      duration,
      keyPrefix: `${redis.prefix}:rate:${name}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const bursty = new BurstyRateLimiter(
    limiter(settings.requests, settings.windowSeconds, "steady"),
    limiter(settings.burstPerMinute, 60, "burst"),
  );
  return {
    async consume(principalKey) {
      try {
        await bursty.consume(principalKey);
        return null;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw refusal;
      }
    },
    async close() {
      if (client) await client.quit().catch(() => client.disconnect());
    },
  };
}
