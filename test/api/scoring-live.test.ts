import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type KamApp } from "../../api/app.ts";
import { loadConfig } from "../../api/config.ts";
import { createCriteriaSet } from "../../api/services/criteria-sets.ts";
import { createTestApp, globalId, type TestApp, testTokenSecret } from "../support/app.ts";
import { reachable } from "../support/network.ts";

const redisUrl = process.env.KAM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const hasRedis = await reachable(redisUrl, 6379);
if (!hasRedis) {
  if (process.env.CI === "true") throw new Error(`CI=true but Redis is not reachable at ${redisUrl}.`);
  console.log(
    `Redis is not reachable at ${redisUrl}: skipping the live-update tests across two API instances.`,
  );
}

const subscription = `subscription($accountIds: [ID!]) {
  scoreChanged(accountIds: $accountIds) { criterionKey value previous author account { name } }
}`;
const setScore = `mutation($input: ScoreInput!) {
  setScore(input: $input) { __typename ... on MutationSetScoreSuccess { data { changed } } ... on Error { code } }
}`;

/** Opens a server-sent-events subscription and hands out its events one by one. */
function subscribe(
  send: (init: RequestInit) => Promise<Response>,
  token: string,
  variables: Record<string, unknown> = {},
) {
  const abort = new AbortController();
  const queue: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  const opened = send({
    method: "POST",
    signal: abort.signal,
    headers: {
      accept: "text/event-stream",
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: subscription, variables }),
  }).then(async (response) => {
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split("\n")
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).trim())
              .join("\n");
            if (data) {
              const event = JSON.parse(data);
              const next = waiting.shift();
              if (next) next(event);
              else queue.push(event);
            }
            end = buffer.indexOf("\n\n");
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  return {
    opened,
    next: (timeoutMs = 5000): Promise<any> =>
      queue.length
        ? Promise.resolve(queue.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no event within the time limit")), timeoutMs);
            waiting.push((event) => {
              clearTimeout(timer);
              resolve(event);
            });
          }),
    close: () => abort.abort(),
  };
}

async function listen(app: KamApp): Promise<string> {
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;
}

async function seedScoringFixture(app: TestApp) {
  const admin = await app.createUser("ADMIN");
  const principal = {
    kind: "user" as const,
    user: await app.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } }),
  };
  await createCriteriaSet(
    { ...app, principal },
    {
      name: "Live",
      keyAccountRule: "TOP_N",
      keyAccountCount: 1,
      criteria: [{ key: "profit", label: "Profit potential", weight: 1 }],
    },
  );
  const names = ["Atlas", "Boreal"];
  const accounts = [];
  for (const name of names) {
    accounts.push(
      await app.db.prisma.account.create({ data: { name, sortName: name.toLowerCase(), status: "ACTIVE" } }),
    );
  }
  return { admin, accounts };
}

describe.skipIf(!hasRedis)("scoreChanged across two API instances through Redis", () => {
  const channel = `kam-test-${randomBytes(4).toString("hex")}`;
  let first: TestApp;
  let second: KamApp;
  let firstUrl: string;
  let secondUrl: string;
  let fixture: Awaited<ReturnType<typeof seedScoringFixture>>;
  const redis = new Redis(redisUrl, { lazyConnect: true });

  beforeAll(async () => {
    first = await createTestApp({ KAM_REDIS_URL: redisUrl, KAM_EVENTS_CHANNEL: channel });
    second = createApp(
      loadConfig({
        DATABASE_URL: first.config.databaseUrl,
        KAM_TOKEN_SECRET: testTokenSecret,
        KAM_DATA_DIR: first.config.dataDir,
        KAM_REDIS_URL: redisUrl,
        KAM_EVENTS_CHANNEL: channel,
      }),
    );
    expect([first.events.transport, second.events.transport]).toEqual(["redis", "redis"]);
    fixture = await seedScoringFixture(first);
    firstUrl = await listen(first);
    secondUrl = await listen(second);
    await redis.connect();
  });
  afterAll(async () => {
    redis.disconnect();
    await second?.close();
    await first?.close();
  });

  async function subscribers(): Promise<number> {
    const reply = (await redis.pubsub("NUMSUB", `${channel}:scoreChanged`)) as [string, number];
    return Number(reply[1]);
  }

  async function untilSubscribed(count: number) {
    for (let attempt = 0; attempt < 100 && (await subscribers()) < count; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await subscribers()).toBeGreaterThanOrEqual(count);
  }

  it("a score set on one instance reaches a subscriber of the other, filtered by account", async () => {
    const [atlas, boreal] = fixture.accounts as unknown as [{ id: string }, { id: string }];
    const all = subscribe((init) => fetch(firstUrl, init), fixture.admin.token);
    const onlyBoreal = subscribe((init) => fetch(firstUrl, init), fixture.admin.token, {
      accountIds: [globalId("Account", boreal.id)],
    });
    try {
      await Promise.all([all.opened, onlyBoreal.opened]);
      await untilSubscribed(1);
      const send = async (accountId: string, value: number) => {
        const response = await fetch(secondUrl, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${fixture.admin.token}` },
          body: JSON.stringify({
            query: setScore,
            variables: {
              input: { accountId: globalId("Account", accountId), criterionKey: "profit", value },
            },
          }),
        });
        const body = await response.json();
        expect(body.data.setScore.data.changed).toBe(1);
      };
      await send(atlas.id, 8);
      await send(boreal.id, 6);
      const received = [await all.next(), await all.next()];
      expect(received.map((event) => event.data.scoreChanged)).toEqual([
        {
          criterionKey: "profit",
          value: 8,
          previous: null,
          author: fixture.admin.email,
          account: { name: "Atlas" },
        },
        {
          criterionKey: "profit",
          value: 6,
          previous: null,
          author: fixture.admin.email,
          account: { name: "Boreal" },
        },
      ]);
      // The filtered subscription skipped Atlas: its first event is Boreal's.
      const filtered = await onlyBoreal.next();
      expect(filtered.data.scoreChanged.account).toEqual({ name: "Boreal" });
    } finally {
      all.close();
      onlyBoreal.close();
    }
  });

  it("refuses subscribers without a token", async () => {
    const response = await fetch(firstUrl, {
      method: "POST",
      headers: { accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ query: subscription }),
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });
});

describe("scoreChanged within one instance, without Redis", () => {
  let app: TestApp;
  let fixture: Awaited<ReturnType<typeof seedScoringFixture>>;

  beforeAll(async () => {
    app = await createTestApp();
    fixture = await seedScoringFixture(app);
  });
  afterAll(() => app.close());

  it("delivers changes in-process", async () => {
    expect(app.events.transport).toBe("in-process");
    const [atlas] = fixture.accounts as unknown as [{ id: string }];
    const live = subscribe(
      async (init) => app.yoga.fetch("http://kam.test/graphql", init),
      fixture.admin.token,
    );
    try {
      await live.opened;
      // The subscription starts listening once its stream is read; give it a moment.
      let event: any;
      for (let value = 2; value <= 10 && !event; value += 1) {
        const response = await app.gql(
          setScore,
          { input: { accountId: globalId("Account", atlas.id), criterionKey: "profit", value } },
          fixture.admin.token,
        );
        expect(response.data.setScore.data.changed).toBe(1);
        event = await live.next(300).catch(() => undefined);
      }
      expect(event.data.scoreChanged).toMatchObject({ criterionKey: "profit", account: { name: "Atlas" } });
      expect(event.data.scoreChanged.value).toBeGreaterThan(1);
    } finally {
      live.close();
    }
  });
});
