import type { Server } from "node:http";
import { resolveTokenSecret } from "./auth/user-tokens.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/index.ts";
import { createEvents, type KamEvents } from "./events.ts";
import { createRateLimiter } from "./rate-limit.ts";
import { createKamServer, stopServer } from "./server.ts";
import { createKamYoga, type KamYoga } from "./yoga.ts";

export interface KamApp {
  config: Config;
  db: Database;
  yoga: KamYoga;
  server: Server;
  tokenSecret: Uint8Array;
  events: KamEvents;
  clock: Clock;
  close(): Promise<void>;
}

/** Wires database, GraphQL and HTTP together; does not listen, so tests can use `yoga.fetch`. */
export function createApp(
  config: Config,
  db: Database = openDatabase(config.databaseUrl),
  clock: Clock = systemClock,
): KamApp {
  const tokenSecret = resolveTokenSecret(config.tokenSecret, config.dataDir);
  // Demo mode: no secret of the operator's own, one generated under the data directory.
  const demo = config.tokenSecret === undefined;
  const events = createEvents({ redisUrl: config.redisUrl, channel: config.eventsChannel });
  const rateLimiter = createRateLimiter(
    config.rateLimits,
    config.redisUrl ? { url: config.redisUrl, prefix: config.eventsChannel } : undefined,
  );
  const yoga = createKamYoga({
    db,
    tokenSecret,
    corsOrigins: config.corsOrigins,
    graphiql: config.graphiql,
    demo,
    events,
    clock,
    limits: config.limits,
    rateLimiter,
  });
  const server = createKamServer(db, yoga, events, {
    demoTokenSecret: demo && config.demoSeed ? tokenSecret : null,
  });
  return {
    config,
    db,
    yoga,
    server,
    tokenSecret,
    events,
    clock,
    close: async () => {
      // No new connections; open subscriptions complete, so their streams end like any other
      // response; the requests still running finish and may publish; then Redis and the database go.
      const stopped = stopServer(server);
      events.endSubscriptions();
      await stopped;
      await yoga.dispose();
      await events.close();
      await rateLimiter.close();
      await db.close();
    },
  };
}
