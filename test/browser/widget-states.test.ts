import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { axeViolations, type KamProcess, startKamProcess } from "./support/kam-process.ts";

/**
 * The shared state model, seen through the widgets: no token at all, loading, nothing to show,
 * then offline with stale data. The tests run in this order: the last stops the API.
 */

const widgets = ["kam-segment-grid", "kam-dossier-card", "kam-score-matrix"] as const;

describe.skipIf(!chromiumAvailable())("widget states", () => {
  let kam: KamProcess;
  let browser: Browser;

  beforeAll(async () => {
    [kam, browser] = await Promise.all([startKamProcess(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  it("says a token is needed, instead of a blank box", async () => {
    const page = await browser.newPage();
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate(() => {
      document.body.innerHTML =
        '<main><kam-segment-grid></kam-segment-grid><kam-dossier-card external-id="ERP-1"></kam-dossier-card><kam-score-matrix></kam-score-matrix></main>';
    });
    for (const widget of widgets) {
      const state = page.locator(`${widget} [data-kind="error"]`);
      await expect.poll(() => state.count(), { timeout: 10_000 }).toBe(1);
      expect(await state.innerText()).toMatch(/No token/);
      expect(await axeViolations(page, widget)).toEqual([]);
    }
    await page.close();
  });

  it("says it is loading while the first request runs", async () => {
    const page = await browser.newPage();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/graphql", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${kam.origin}/widgets/demo/`);
    const token = await kam.tokenFor("viewer@demo.kam");
    await page.evaluate((value) => {
      document.body.innerHTML = `<main><kam-provider token="${value}"><kam-segment-grid></kam-segment-grid>
        <kam-dossier-card external-id="ERP-000001"></kam-dossier-card><kam-score-matrix></kam-score-matrix></kam-provider></main>`;
    }, token);
    for (const widget of widgets) {
      const state = page.locator(`${widget} [data-kind="loading"]`);
      await expect.poll(() => state.count()).toBe(1);
      expect(await state.getAttribute("role")).toBe("status");
      expect(await state.innerText()).toBe("Loading…");
      expect(await axeViolations(page, widget)).toEqual([]);
    }
    release();
    await expect
      .poll(() => page.locator("kam-segment-grid [data-cell]").count(), { timeout: 15_000 })
      .toBe(9);
    await expect.poll(() => page.locator('kam-segment-grid [data-kind="loading"]').count()).toBe(0);
    await expect.poll(() => page.locator("kam-score-matrix [data-account]").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("says there is nothing to show when no account is there yet, and fires kam-ready empty", async () => {
    const empty = await startKamProcess({ KAM_DEMO_SEED: "false" });
    try {
      await empty.addUser("reader@example.com", "VIEWER");
      const token = await empty.tokenFor("reader@example.com");
      const page = await browser.newPage();
      await page.goto(`${empty.origin}/widgets/demo/`);
      await page.evaluate((value) => {
        document.body.innerHTML = `<main><kam-segment-grid token="${value}"></kam-segment-grid><kam-score-matrix token="${value}"></kam-score-matrix></main>`;
        (window as any).kamReady = [];
        document.addEventListener("kam-ready", (event) =>
          (window as any).kamReady.push((event as CustomEvent).detail),
        );
      }, token);
      for (const widget of ["kam-segment-grid", "kam-score-matrix"]) {
        const state = page.locator(`${widget} [data-kind="empty"]`);
        await expect.poll(() => state.count(), { timeout: 15_000 }).toBe(1);
        expect(await state.innerText()).toBe("Nothing to show.");
        expect(await axeViolations(page, widget)).toEqual([]);
      }
      const ready = await page.evaluate(() => (window as any).kamReady);
      expect(ready).toHaveLength(2);
      expect(ready).toEqual(
        expect.arrayContaining([
          { widget: "kam-segment-grid", empty: true },
          { widget: "kam-score-matrix", empty: true },
        ]),
      );
      await page.close();
    } finally {
      await empty.stop();
    }
  });

  it("keeps the data, marked stale with its time, when the server goes away; fires kam-error OFFLINE", async () => {
    const page = await browser.newPage();
    await page.goto(`${kam.origin}/widgets/demo/`);
    const token = await kam.tokenFor("viewer@demo.kam");
    const first = await kam.gql("{ accounts(first: 1) { edges { node { id name } } } }", {}, token);
    const account = first.accounts.edges[0].node;
    await page.evaluate(
      ({ value, id }) => {
        document.body.innerHTML = `<main><kam-provider token="${value}"><kam-segment-grid></kam-segment-grid>
        <kam-dossier-card account="${id}"></kam-dossier-card><kam-score-matrix></kam-score-matrix></kam-provider></main>`;
        (window as any).kamErrors = [];
        document.addEventListener("kam-error", (event) =>
          (window as any).kamErrors.push((event as CustomEvent).detail),
        );
      },
      { value: token, id: account.id },
    );
    await expect
      .poll(() => page.locator("kam-segment-grid [data-cell]").count(), { timeout: 15_000 })
      .toBe(9);
    await expect.poll(() => page.locator("kam-dossier-card #name").count(), { timeout: 15_000 }).toBe(1);
    // Rows are rendered where the reader can see them: the matrix is below the card.
    await expect
      .poll(
        async () => {
          await page.locator("kam-score-matrix .matrix").scrollIntoViewIfNeeded();
          return page.locator("kam-score-matrix [data-account]").count();
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    const firstRow = await page
      .locator("kam-score-matrix [data-account]")
      .first()
      .getAttribute("data-account");
    await kam.stop();
    await page.evaluate(() => {
      for (const widget of document.querySelectorAll("kam-segment-grid, kam-dossier-card, kam-score-matrix"))
        (widget as any).refresh();
    });
    for (const widget of widgets) {
      const stale = page.locator(`${widget} [part="stale"]`);
      await expect.poll(() => stale.count(), { timeout: 10_000 }).toBe(1);
      expect(await stale.innerText()).toMatch(/^Offline: showing the data of .+\d/);
      expect(await axeViolations(page, widget)).toEqual([]);
    }
    expect(await page.locator("kam-score-matrix [data-account]").first().getAttribute("data-account")).toBe(
      firstRow,
    );
    expect(await page.locator("kam-segment-grid [data-cell]").count()).toBe(9);
    expect(await page.locator("kam-dossier-card #name").innerText()).toBe(account.name);
    expect(await page.evaluate(() => (window as any).kamErrors.map((error: any) => error.code))).toEqual([
      "OFFLINE",
      "OFFLINE",
      "OFFLINE",
    ]);
    await page.close();
  });
});
