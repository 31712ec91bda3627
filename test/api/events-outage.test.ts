import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { createApp, type KamApp } from "../../api/app.ts";
import { loadConfig } from "../../api/config.ts";
import { createCriteriaSet } from "../../api/services/criteria-sets.ts";
import { createTestApp, globalId, type TestApp, testTokenSecret } from "../support/app.ts";
import { freePort } from "../support/network.ts";

/**
 * A Redis of this file's own, stopped and started again under a running API: writes keep working,
 * /health tells the outage, the log says so once, and live events resume when Redis is back.
 */

const hasRedisServer = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
if (!hasRedisServer) {
  if (process.env.CI === "true") throw new Error("CI=true but redis-server is not installed.");
  console.log("redis-server is not installed: skipping the Redis outage tests.");
}

const subscription = "subscription { scoreChanged { criterionKey value account { name } } }";
const setScore = `mutation($input: ScoreInput!) {
  setScore(input: $input) { __typename ... on MutationSetScoreSuccess { data { changed } } ... on Error { code } }
}`;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A throw-away redis-server: no persistence, this machine only. */
function redisServer(port: number) {
  let process: ChildProcess | undefined;
  return {
    async start() {
      process = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      await until("redis-server listens", () => answers(port));
    },
    async kill() {
      const running = process;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
  };
}

/** Opens a server-sent-events subscription and hands out its events one by one. */
function subscribe(url: string, token: string) {
  const abort = new AbortController();
  const queue: any[] = [];
  const waiting: ((event: any) => void)[] = [];
  const opened = fetch(url, {
    method: "POST",
    signal: abort.signal,
    headers: {
      accept: "text/event-stream",
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: subscription }),
  }).then((response) => {
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const data = buffer
              .slice(0, end)
              .split("\n")
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).trim())
              .join("\n");
            buffer = buffer.slice(end + 2);
            if (!data) continue;
            const event = JSON.parse(data);
            const next = waiting.shift();
            if (next) next(event);
            else queue.push(event);
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  return {
    opened,
    /** The next event, or undefined after `timeoutMs`. */
    next: (timeoutMs: number): Promise<any> =>
      queue.length
        ? Promise.resolve(queue.shift())
        : new Promise((resolve) => {
            const waiter = (event: any) => {
              clearTimeout(timer);
              resolve(event);
            };
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(waiter), 1);
              resolve(undefined);
            }, timeoutMs);
            waiting.push(waiter);
          }),
    close: () => abort.abort(),
  };
}

async function listen(app: KamApp): Promise<string> {
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe.runIf(hasRedisServer)("a Redis outage under a running API", () => {
  const channel = `kam-outage-${randomBytes(4).toString("hex")}`;
  let redis: ReturnType<typeof redisServer>;
  let redisUrl: string;
  let app: TestApp;
  let base: string;
  let token: string;
  let accountId: string;
  let value = 1;
  let warn: MockInstance;
  let error: MockInstance;
  let info: MockInstance;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  /** Sets the next score through HTTP; every call changes it, so every call publishes. */
  async function score(url = base): Promise<number> {
    value = (value % 10) + 1;
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: setScore,
        variables: { input: { accountId: globalId("Account", accountId), criterionKey: "profit", value } },
      }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.setScore).toEqual({ __typename: "MutationSetScoreSuccess", data: { changed: 1 } });
    return value;
  }

  /** Scores again until the subscriber sees an event: SUBSCRIBE reaches Redis a moment after the stream opens. */
  async function eventOn(live: ReturnType<typeof subscribe>, url = base) {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const sent = await score(url);
      const event = await live.next(300);
      if (event) {
        expect(event.data.scoreChanged).toMatchObject({ criterionKey: "profit", account: { name: "Atlas" } });
        // Drain what the earlier attempts may still bring.
        while (await live.next(200)) {}
        return { event, sent };
      }
    }
    throw new Error("no event after 30 score changes");
  }

  async function health(url = base) {
    const response = await fetch(`${url}/health`);
    return { status: response.status, body: (await response.json()) as any };
  }

  const redisLines = (spy: MockInstance) =>
    spy.mock.calls.map((call) => String(call[0])).filter((line) => line.includes("Redis"));

  beforeAll(async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redis = redisServer(port);
    await redis.start();
    process.on("unhandledRejection", onUnhandled);
    app = await createTestApp({ KAM_REDIS_URL: redisUrl, KAM_EVENTS_CHANNEL: channel });
    await app.events.ready();
    const admin = await app.createUser("ADMIN");
    token = admin.token;
    const principal = {
      kind: "user" as const,
      user: await app.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } }),
    };
    await createCriteriaSet(
      { ...app, principal },
      {
        name: "Outage",
        keyAccountRule: "TOP_N",
        keyAccountCount: 1,
        criteria: [{ key: "profit", label: "Profit potential", weight: 1 }],
      },
    );
    const atlas = await app.db.prisma.account.create({
      data: { name: "Atlas", sortName: "atlas", status: "ACTIVE" },
    });
    accountId = atlas.id;
    base = await listen(app);
  });

  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    vi.restoreAllMocks();
    await app?.close();
    await redis?.kill();
  });

  it("keeps writing, reports the outage once, and resumes live events when Redis is back", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: expect.objectContaining({ status: "ok", events: { transport: "redis", status: "ok" } }),
    });
    const before = subscribe(`${base}/graphql`, token);
    try {
      await before.opened;
      await eventOn(before);

      warn = vi.spyOn(console, "warn");
      error = vi.spyOn(console, "error");
      info = vi.spyOn(console, "log");
      await redis.kill();
      await until(
        "/health reports the outage",
        async () => (await health()).body.events.status === "degraded",
      );

      // Writes go on; each publishes an event that is dropped, not queued and not thrown.
      const stored: number[] = [];
      for (let round = 0; round < 5; round += 1) stored.push(await score());
      const row = await app.db.prisma.score.findFirstOrThrow({ where: { accountId } });
      expect(row.value).toBe(stored.at(-1));
      // Let ioredis retry a few times: each retry is an "error" it emits.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const down = await health();
      expect(down).toEqual({
        status: 200,
        body: expect.objectContaining({
          status: "degraded",
          database: expect.objectContaining({ status: "ok" }),
          events: { transport: "redis", status: "degraded" },
        }),
      });
      expect(await before.next(300)).toBeUndefined();
      expect(redisLines(warn)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Redis at ${redisUrl} is unreachable \\(.*\\): live events are paused and dropped until it is back; the API keeps serving\\.$`,
          ),
        ),
      ]);
      expect(error).not.toHaveBeenCalled();

      await redis.start();
      await until("/health reports Redis back", async () => (await health()).body.status === "ok");
      expect(redisLines(info)).toEqual([
        expect.stringMatching(
          /^Redis at .* is back: live events resume \(\d+ events? dropped while it was down\)\.$/,
        ),
      ]);

      // The subscriber from before the outage is subscribed again, and a new one works too.
      await eventOn(before);
      const after = subscribe(`${base}/graphql`, token);
      try {
        await after.opened;
        await eventOn(after);
      } finally {
        after.close();
      }
      expect(redisLines(warn)).toHaveLength(1);
      expect(error).not.toHaveBeenCalled();
      expect(unhandled).toEqual([]);
    } finally {
      before.close();
      vi.restoreAllMocks();
    }
  }, 60_000);

  it("an instance that starts while Redis is down serves, and joins in once Redis is up", async () => {
    await redis.kill();
    const second = createApp(
      loadConfig({
        DATABASE_URL: app.config.databaseUrl,
        KAM_TOKEN_SECRET: testTokenSecret,
        KAM_DATA_DIR: app.config.dataDir,
        KAM_REDIS_URL: redisUrl,
        KAM_EVENTS_CHANNEL: channel,
      }),
    );
    warn = vi.spyOn(console, "warn");
    try {
      const secondBase = await listen(second);
      await until("the second instance reports the outage", () => redisLines(warn).length > 0);
      expect((await health(secondBase)).body.events).toEqual({ transport: "redis", status: "degraded" });
      // A subscriber that arrives during the outage: its SUBSCRIBE waits for the connection.
      const live = subscribe(`${secondBase}/graphql`, token);
      try {
        await live.opened;
        await score(secondBase);
        await redis.start();
        await until("both instances report Redis back", async () => {
          const [one, two] = await Promise.all([health(), health(secondBase)]);
          return one.body.status === "ok" && two.body.status === "ok";
        });
        // A change on the first instance reaches the subscriber on the second.
        await eventOn(live, base);
      } finally {
        live.close();
      }
      expect(unhandled).toEqual([]);
    } finally {
      vi.restoreAllMocks();
      await second.close();
    }
  }, 60_000);

  it("closing while Redis is down neither hangs nor throws", async () => {
    await redis.kill();
    const third = createApp(
      loadConfig({
        DATABASE_URL: app.config.databaseUrl,
        KAM_TOKEN_SECRET: testTokenSecret,
        KAM_DATA_DIR: app.config.dataDir,
        KAM_REDIS_URL: redisUrl,
        KAM_EVENTS_CHANNEL: channel,
      }),
    );
    vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await listen(third);
      const live = third.events.scoreChanged()[Symbol.asyncIterator]();
      const pending = live.next();
      third.events.publishScoreChanged([
        {
          accountId,
          criterionId: "c",
          criterionKey: "profit",
          value: 1,
          previous: null,
          authorLabel: "test",
          changedAt: new Date().toISOString(),
        },
      ]);
      const started = performance.now();
      await third.close();
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(unhandled).toEqual([]);
    } finally {
      vi.restoreAllMocks();
      await redis.start();
    }
  });
});
