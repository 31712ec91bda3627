import { z } from "zod";
import { databaseKind, defaultDatabaseUrl } from "./db/adapters.ts";
import { defaultQueryLimits, type QueryLimits } from "./query-limits.ts";
import type { RateLimitSettings } from "./rate-limit.ts";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => ["true", "1", "yes"].includes(value));

/** A whole number within bounds, with its default. */
const limit = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be from ${min} to ${max}`)
    .max(max, `must be from ${min} to ${max}`)
    .default(fallback);

const environment = z.object({
  PORT: z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default(defaultDatabaseUrl)
    .superRefine((url, ctx) => {
      try {
        databaseKind(url);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  KAM_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  KAM_CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        if (origin === "*") continue;
        try {
          const url = new URL(origin);
          if (url.origin !== origin) throw new Error();
        } catch {
          ctx.addIssue({
            code: "custom",
            message: `"${origin}" is not an origin such as https://intranet.example.com (scheme, host, optional port, no path)`,
          });
        }
      }
    }),
  KAM_DEMO_SEED: booleanFlag.default(true),
  KAM_DATA_DIR: z.string().min(1).default("data"),
  KAM_GRAPHIQL: booleanFlag.default(true),
  KAM_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379")
    .optional(),
  KAM_MAX_QUERY_TOKENS: limit(100, 100_000, defaultQueryLimits.maxTokens),
  KAM_MAX_QUERY_DEPTH: limit(2, 50, defaultQueryLimits.maxDepth),
  KAM_MAX_QUERY_ALIASES: limit(1, 1000, defaultQueryLimits.maxAliases),
  KAM_MAX_QUERY_DIRECTIVES: limit(1, 1000, defaultQueryLimits.maxDirectives),
  KAM_MAX_QUERY_COST: limit(100, 10_000_000, defaultQueryLimits.maxCost),
  KAM_MAX_BODY_BYTES: limit(10_000, 100_000_000, 4_000_000),
  KAM_QUERY_TIMEOUT_MS: limit(1, 600_000, 10_000),
  KAM_MAX_SUBSCRIPTIONS: limit(1, 10_000, 20),
  KAM_RATE_LIMIT_REQUESTS: limit(1, 1_000_000, 20),
  KAM_RATE_LIMIT_WINDOW_SECONDS: limit(1, 3600, 1),
  KAM_RATE_LIMIT_BURST: limit(1, 10_000_000, 600),
  KAM_EVENTS_CHANNEL: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1-100 letters, digits or _ . : -")
    .default("kam"),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  /** Undefined means demo mode: a generated secret kept under the data directory. */
  tokenSecret: string | undefined;
  corsOrigins: string[];
  demoSeed: boolean;
  dataDir: string;
  graphiql: boolean;
  /** Live events go through Redis when set, so every API instance sees them; in-process otherwise. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels, for several deployments on one Redis. */
  eventsChannel: string;
  /** What one operation may ask for, and the largest request body read. */
  limits: QueryLimits & { maxBodyBytes: number; queryTimeoutMs: number; maxSubscriptions: number };
  /** Requests per principal: steadily per window, plus bursts per minute. */
  rateLimits: RateLimitSettings;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration, naming every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join(".")}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`,
      ),
    );
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    tokenSecret: value.KAM_TOKEN_SECRET,
    corsOrigins: value.KAM_CORS_ORIGINS,
    demoSeed: value.KAM_DEMO_SEED,
    dataDir: value.KAM_DATA_DIR,
    graphiql: value.KAM_GRAPHIQL,
    redisUrl: value.KAM_REDIS_URL,
    eventsChannel: value.KAM_EVENTS_CHANNEL,
    limits: {
      maxTokens: value.KAM_MAX_QUERY_TOKENS,
      maxDepth: value.KAM_MAX_QUERY_DEPTH,
      maxAliases: value.KAM_MAX_QUERY_ALIASES,
      maxDirectives: value.KAM_MAX_QUERY_DIRECTIVES,
      maxCost: value.KAM_MAX_QUERY_COST,
      maxBodyBytes: value.KAM_MAX_BODY_BYTES,
      queryTimeoutMs: value.KAM_QUERY_TIMEOUT_MS,
      maxSubscriptions: value.KAM_MAX_SUBSCRIPTIONS,
    },
    rateLimits: {
      requests: value.KAM_RATE_LIMIT_REQUESTS,
      windowSeconds: value.KAM_RATE_LIMIT_WINDOW_SECONDS,
      burstPerMinute: value.KAM_RATE_LIMIT_BURST,
    },
  };
}
