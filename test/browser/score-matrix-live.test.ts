import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reachable } from "../support/network.ts";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { type KamProcess, startKamProcess } from "./support/kam-process.ts";

/**
 * `<kam-score-matrix>` live across API instances: two processes on one SQLite file and one Redis,
 * a reader on each. A score changed through the first instance reaches the page on the second
 * without a reload, and the page's subscription ends when the matrix leaves it.
 */

const redisUrl = process.env.KAM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const hasRedis = await reachable(redisUrl, 6379);
if (!hasRedis) {
  if (process.env.CI === "true") throw new Error(`CI=true but Redis is not reachable at ${redisUrl}.`);
  console.log(`Redis is not reachable at ${redisUrl}: skipping the live matrix across two API instances.`);
}

const matrixQuery = `query($first: Int, $direction: SortDirection = DESC) {
  scoreMatrix(first: $first, orderBy: { field: SCORE, direction: $direction }) { ... on QueryScoreMatrixSuccess { data {
    columns { criterion { key } }
    edges { node { accountName score account { id } cells { value } } }
  } } }
}`;
const setScore = `mutation($input: ScoreInput!) { setScore(input: $input) { __typename } }`;
const subscription = `subscription($accountIds: [ID!]) { scoreChanged(accountIds: $accountIds) { criterionKey value } }`;

/** The live streams (server-sent events) a page opened, as the browser saw them. */
interface PageLog {
  /** Streams whose answer has begun: the server has subscribed them. */
  streamsOpen: number;
  /** Those of them still open. */
  open: Set<unknown>;
}

describe.skipIf(!chromiumAvailable() || !hasRedis)("<kam-score-matrix> live across two API instances", () => {
  let first: KamProcess;
  let second: KamProcess;
  let browser: Browser;
  let admin: string;
  let viewer: string;
  const logs = new Map<Page, PageLog>();
  /** Page B of the first test, on the second instance, kept for the second. */
  let pageB: Page;
  let criterionKeys: string[] = [];

  beforeAll(async () => {
    // A channel of this run's own, so that runs sharing the Redis never see each other's events.
    const channel = {
      KAM_REDIS_URL: redisUrl,
      KAM_EVENTS_CHANNEL: `kam-browser-${randomBytes(6).toString("hex")}`,
    };
    [first, browser] = await Promise.all([startKamProcess(channel), launchChromium()]);
    // The second instance serves the first one's database; two open subscriptions per person
    // there (the page's, and one to spare while it moves to other rows), so that the server
    // tells whether the page still holds its own.
    second = await startKamProcess(
      { ...channel, KAM_MAX_SUBSCRIPTIONS: "2" },
      { databaseUrl: first.databaseUrl, seedDemo: false },
    );
    admin = await first.tokenFor("admin@demo.kam");
    viewer = await second.tokenFor("viewer@demo.kam");
  });
  afterAll(async () => {
    await browser?.close();
    // The second instance first: the database lives in the first one's folder.
    await second?.stop();
    await first?.stop();
  });

  async function mount(kam: KamProcess, token: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const log: PageLog = { streamsOpen: 0, open: new Set() };
    logs.set(page, log);
    page.on("response", (response) => {
      if (response.request().headers().accept !== "text/event-stream") return;
      log.streamsOpen += 1;
      log.open.add(response.request());
    });
    // An aborted stream fails, one the server ends finishes; either way it is no longer open.
    page.on("requestfinished", (request) => log.open.delete(request));
    page.on("requestfailed", (request) => log.open.delete(request));
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate((markup) => {
      document.body.innerHTML = markup;
      // A reload would lose this.
      (window as unknown as { kamMarker: string }).kamMarker = "mounted";
    }, `<main><kam-score-matrix token="${token}" page-size="20"></kam-score-matrix></main>`);
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    try {
      await expect
        .poll(() => page.locator("kam-score-matrix [data-account]").count(), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(5);
    } catch (error) {
      const shown = await page
        .locator("kam-score-matrix")
        .evaluate((element) => element.shadowRoot?.textContent);
      throw new Error(`${error}\nthe matrix shows: ${shown?.slice(0, 500)}\n${kam.output().slice(-2000)}`);
    }
    // The matrix subscribes to the rows in view once the virtualizer has shown them.
    await expect.poll(() => log.streamsOpen, { timeout: 20_000 }).toBeGreaterThan(0);
    return page;
  }

  /** Records every account whose row carries `flash`, whenever the matrix's DOM changes. */
  const watchFlashes = (page: Page) =>
    page.locator("kam-score-matrix").evaluate((element) => {
      const root = element.shadowRoot as ShadowRoot;
      const state = window as unknown as { flashed: string[] };
      state.flashed = [];
      const record = () => {
        for (const row of root.querySelectorAll(".row.flash[data-account]")) {
          const id = row.getAttribute("data-account") as string;
          if (!state.flashed.includes(id)) state.flashed.push(id);
        }
      };
      new MutationObserver(record).observe(root, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["class"],
      });
    });

  const cellText = (page: Page, accountId: string, criterionKey: string) =>
    page
      .locator(`kam-score-matrix [data-account="${accountId}"] [data-criterion="${criterionKey}"]`)
      .textContent({ timeout: 1_000 })
      .catch(() => null);

  /**
   * Asks the second instance, as the viewer (two open subscriptions at most there), whether the
   * page still holds one: opens one subscription to take the place the page leaves free, then
   * another, and makes a change through the first instance. TOO_MANY_SUBSCRIPTIONS when the
   * second is refused (the page holds the other place), "delivered" when the change arrives on
   * it, "nothing" when it did not within a few seconds (Redis may still be subscribing).
   */
  async function probe(accountId: string, criterionKey: string, value: number): Promise<string> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5_000);
    const open = () =>
      fetch(`${second.origin}/graphql`, {
        method: "POST",
        signal: abort.signal,
        headers: {
          accept: "text/event-stream",
          "content-type": "application/json",
          authorization: `Bearer ${viewer}`,
        },
        body: JSON.stringify({ query: subscription, variables: { accountIds: [accountId] } }),
      });
    try {
      // The server counts a subscription before its answer begins.
      await open();
      const response = await open();
      const set = await first.gql(setScore, { input: { accountId, criterionKey, value } }, admin);
      if (set.setScore.__typename !== "MutationSetScoreSuccess") return `not set: ${set.setScore.__typename}`;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) return "ended";
        buffer += decoder.decode(chunk, { stream: true });
        const data = buffer
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trim())
          .find(Boolean);
        if (!data) continue;
        const message = JSON.parse(data) as {
          data?: { scoreChanged: { criterionKey: string } };
          errors?: { extensions?: { code?: string } }[];
        };
        if (message.errors) return message.errors[0]?.extensions?.code ?? "error";
        return message.data?.scoreChanged.criterionKey === criterionKey ? "delivered" : "other";
      }
    } catch {
      return "nothing";
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  it("a score changed on one instance shows on a page served by the other, without a reload", async () => {
    const api = (await first.gql(matrixQuery, { first: 20 }, admin)).scoreMatrix.data;
    const row = api.edges[0].node;
    criterionKeys = api.columns.map((column: { criterion: { key: string } }) => column.criterion.key);
    // A criterion scored below 10: raising it keeps the account on top, so in view on both pages.
    const index = row.cells.findIndex(
      (cell: { value: number | null }) => cell.value !== null && cell.value < 10,
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const key = api.columns[index].criterion.key as string;
    const before = row.cells[index].value as number;
    const value = before + 1;

    const [pageA, mounted] = await Promise.all([mount(first, admin), mount(second, viewer)]);
    pageB = mounted;
    expect(await cellText(pageB, row.account.id, key)).toBe(String(before));
    await watchFlashes(pageB);

    // Page A scores the cell by keyboard: first row, the criterion's column, Enter, the value, Enter.
    const gridA = pageA.locator("kam-score-matrix .matrix");
    await gridA.focus();
    await pageA.keyboard.press("Control+Home");
    await pageA.keyboard.press("Home");
    for (let step = 0; step <= index; step += 1) await pageA.keyboard.press("ArrowRight");
    expect(await gridA.getAttribute("aria-activedescendant")).toBe(`c-0-${index + 1}`);
    await pageA.keyboard.press("Enter");
    const input = pageA.locator("kam-score-matrix #edit-value");
    await expect.poll(() => input.count()).toBe(1);
    await input.fill(String(value));
    await input.press("Enter");
    await expect.poll(() => input.count()).toBe(0);
    // Saved in the shared database: the second instance reads it.
    let saved: { score: number; cells: { value: number | null }[] } | undefined;
    await expect
      .poll(
        async () => {
          const data = (await second.gql(matrixQuery, { first: 20 }, viewer)).scoreMatrix.data;
          saved = data.edges.find((edge: any) => edge.node.account.id === row.account.id)?.node;
          return saved?.cells[index]?.value;
        },
        { timeout: 10_000 },
      )
      .toBe(value);
    const score = new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(saved?.score as number);
    expect(saved?.score).not.toBe(row.score);

    // Page B shows it by itself, with the row's new score, and marks the row that changed.
    await expect.poll(() => cellText(pageB, row.account.id, key), { timeout: 20_000 }).toBe(String(value));
    await expect
      .poll(
        () =>
          pageB
            .locator(`kam-score-matrix [data-account="${row.account.id}"] [data-total="score"]`)
            .textContent({ timeout: 1_000 })
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe(score);
    await expect
      .poll(() => pageB.evaluate(() => (window as unknown as { flashed: string[] }).flashed), {
        timeout: 10_000,
      })
      .toContain(row.account.id);
    expect(await pageB.evaluate(() => (window as unknown as { kamMarker?: string }).kamMarker)).toBe(
      "mounted",
    );
    await pageA.close();
  });

  it("the page's subscription ends when the matrix leaves the page, in the browser and on the server", async () => {
    expect(pageB, "the page of the test before").toBeDefined();
    // The viewer's one subscription on the second instance is the page's. The server tells by
    // refusing a second one; its probes change an account far out of the page's view, so that
    // the page has no reason to subscribe again meanwhile.
    const bottom = (await first.gql(matrixQuery, { first: 1, direction: "ASC" }, admin)).scoreMatrix.data
      .edges[0].node;
    expect(await pageB.locator(`kam-score-matrix [data-account="${bottom.account.id}"]`).count()).toBe(0);
    const other = criterionKeys[0] as string;
    let toggle = 3;
    const next = () => {
      toggle = 7 - toggle;
      return toggle;
    };
    await expect
      .poll(() => probe(bottom.account.id, other, next()), { timeout: 20_000 })
      .toBe("TOO_MANY_SUBSCRIPTIONS");
    // … until the matrix leaves the page: its stream ends, in the browser and on the server.
    const log = logs.get(pageB) as PageLog;
    await expect.poll(() => log.open.size, { timeout: 10_000 }).toBe(1);
    await pageB.evaluate(() => document.querySelector("kam-score-matrix")?.remove());
    await expect.poll(() => log.open.size, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => probe(bottom.account.id, other, next()), { timeout: 30_000 }).toBe("delivered");
    // Nothing opens a new one behind the reader's back.
    const opened = log.streamsOpen;
    expect(await probe(bottom.account.id, other, next())).toBe("delivered");
    expect(log.streamsOpen).toBe(opened);
    await pageB.close();
  });
});
