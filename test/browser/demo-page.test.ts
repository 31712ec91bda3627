import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, confineToOrigin, launchChromium, type RequestLog } from "./support/chromium.ts";
import { axeViolations, type KamProcess, startKamProcess } from "./support/kam-process.ts";

/** `/widgets/demo/` right after `npm start` in demo mode: the widgets on an intranet-like page. */

describe.skipIf(!chromiumAvailable())("the widget demo page", () => {
  let kam: KamProcess;
  let browser: Browser;

  beforeAll(async () => {
    // No token secret of its own: demo mode, as after `npm install && npm start`.
    [kam, browser] = await Promise.all([startKamProcess({ KAM_TOKEN_SECRET: "" }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  async function open(
    colorScheme: "light" | "dark" = "light",
  ): Promise<{ page: Page; log: RequestLog; errors: string[] }> {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    const log = await confineToOrigin(context, kam.origin);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${kam.origin}/widgets/demo/`);
    await expect
      .poll(() => page.locator("kam-segment-grid [data-cell]").count(), { timeout: 15_000 })
      .toBe(9);
    return { page, log, errors };
  }

  it("shows the matrix on the demo data with the page's own token, asking nothing of other origins", async () => {
    const { page, log, errors } = await open();
    expect(errors).toEqual([]);
    expect(log.blocked).toEqual([]);
    expect(log.requests).toContain(`GET ${kam.origin}/widgets/demo/token`);
    expect(await page.locator("#token").inputValue()).toMatch(/^ey/);
    await page.screenshot({ path: "/tmp/demo.png", fullPage: true });
    await page.context().close();
  });

  it("wires the widgets together: choosing an account in the grid opens its dossier card", async () => {
    const { page } = await open();
    await page.locator('kam-segment-grid [data-cell="AX"]').click();
    const first = page.locator('kam-segment-grid .list [aria-rowindex="1"]');
    await expect.poll(() => first.count()).toBe(1);
    const name = await first.locator(".account").innerText();
    await first.click();
    await expect.poll(() => page.locator("#chosen").innerText()).toBe(name);
    const card = page.locator("kam-dossier-card");
    await expect.poll(() => card.locator("#name").count(), { timeout: 10_000 }).toBe(1);
    expect(await card.locator("#name").innerText()).toBe(name);
    expect(await card.isVisible()).toBe(true);
    await page.context().close();
  });

  it("wires the score matrix in: a segment cell filters it, and a row opens the card", async () => {
    const { page } = await open();
    const matrix = page.locator("kam-score-matrix");
    await expect.poll(() => matrix.locator("[data-account]").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const token = await page.locator("#token").inputValue();
    await page.locator('kam-segment-grid [data-cell="AX"]').click();
    await expect.poll(() => matrix.getAttribute("filter")).toBe(JSON.stringify({ abc: ["A"], xyz: ["X"] }));
    const { scoreMatrix } = await kam.gql(
      `query($filter: AccountFilter) { scoreMatrix(filter: $filter) { ... on QueryScoreMatrixSuccess { data {
        totalCount edges { node { accountName } } } } } }`,
      { filter: { abc: ["A"], xyz: ["X"] } },
      token,
    );
    await expect
      .poll(() => matrix.locator(".matrix").getAttribute("aria-rowcount"))
      .toBe(String(scoreMatrix.data.totalCount + 1));
    const name = scoreMatrix.data.edges[0].node.accountName;
    await expect.poll(() => matrix.locator('[role="rowheader"]').first().innerText()).toBe(name);
    await matrix.locator('[role="rowheader"]').first().click();
    await expect.poll(() => page.locator("#chosen").innerText()).toBe(name);
    await expect
      .poll(
        () =>
          page
            .locator("kam-dossier-card #name")
            .innerText()
            .catch(() => ""),
        { timeout: 10_000 },
      )
      .toBe(name);
    // Back to the grid's matrix: the score matrix shows every account again.
    await page.locator("kam-segment-grid .list").focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => matrix.getAttribute("filter")).toBe(null);
    await page.context().close();
  });

  it("switches language and theme", async () => {
    const { page } = await open();
    await page.selectOption("#language", "es");
    await expect.poll(() => page.locator("kam-segment-grid h2").innerText()).toBe("Segmentos ABC-XYZ");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("es");
    const background = () =>
      page.evaluate(
        () => getComputedStyle(document.querySelector("kam-segment-grid") as Element).backgroundColor,
      );
    const light = await background();
    await page.selectOption("#theme", "brand");
    await expect.poll(background).not.toBe(light);
    expect(await background()).toBe("rgb(255, 253, 247)");
    await page.selectOption("#theme", "dark");
    expect(await background()).toBe("rgb(22, 26, 33)");
    await page.context().close();
  });

  for (const theme of ["light", "dark", "brand"] as const) {
    it(`passes an accessibility scan of the whole page (WCAG 2.1 AA) in the ${theme} theme, card open`, async () => {
      const { page } = await open(theme === "dark" ? "dark" : "light");
      await page.selectOption("#theme", theme);
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('kam-segment-grid [data-cell="AX"]').click();
      const first = page.locator('kam-segment-grid .list [aria-rowindex="1"]');
      await expect.poll(() => first.count()).toBe(1);
      await first.click();
      await expect.poll(() => page.locator("kam-dossier-card #name").count(), { timeout: 10_000 }).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }
});
