import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { axeViolations, type KamProcess, startKamProcess } from "./support/kam-process.ts";

/** `<kam-segment-grid>` on a page of the API's origin, reading the demo data through /graphql. */

const matrixQuery = `{ segmentMatrix { cells { abc xyz accountCount } } }`;

describe.skipIf(!chromiumAvailable())("<kam-segment-grid>", () => {
  let kam: KamProcess;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    [kam, browser] = await Promise.all([startKamProcess(), launchChromium()]);
    admin = await kam.tokenFor("admin@demo.kam");
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  /** A page of the API's origin holding the element, its events recorded in `window.kamEvents`. */
  async function mount(attributes: string, colorScheme: "light" | "dark" = "light"): Promise<Page> {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1200, height: 900 } });
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate((markup) => {
      document.body.innerHTML = markup;
      (window as any).kamEvents = [];
      for (const name of ["kam-account-select", "kam-error", "kam-ready"]) {
        document.addEventListener(name, (event) =>
          (window as any).kamEvents.push({ name, detail: (event as CustomEvent).detail }),
        );
      }
    }, `<main><kam-segment-grid ${attributes}></kam-segment-grid></main>`);
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    return page;
  }

  const events = (page: Page) =>
    page.evaluate(() => (window as any).kamEvents as { name: string; detail: any }[]);
  const cells = (page: Page) => page.locator("kam-segment-grid").locator('[role="gridcell"][data-cell]');

  it("shows the nine cells with the counts the API gives", async () => {
    const page = await mount(`token="${admin}"`);
    await expect.poll(() => cells(page).count()).toBe(9);
    const expected = (await kam.gql(matrixQuery, {}, admin)).segmentMatrix.cells as any[];
    for (const cell of expected) {
      const text = await page
        .locator(`kam-segment-grid [data-cell="${cell.abc}${cell.xyz}"] .count`)
        .innerText();
      expect(Number(text.replace(/\D/g, "")), `${cell.abc}${cell.xyz}`).toBe(cell.accountCount);
    }
    expect((await events(page)).some((event) => event.name === "kam-ready")).toBe(true);
    await page.screenshot({ path: "/tmp/segment-grid.png", fullPage: true });
    await page.close();
  });

  it("is one tab stop moved by the arrow keys; Enter lists a cell's accounts, virtualised; Escape goes back", async () => {
    const page = await mount(`token="${admin}"`);
    await expect.poll(() => cells(page).count()).toBe(9);
    expect(await page.locator('kam-segment-grid [data-cell][tabindex="0"]').count()).toBe(1);
    // The explanation button, then the matrix as one stop.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const focusedCell = () =>
      page.evaluate(() =>
        document.querySelector("kam-segment-grid")?.shadowRoot?.activeElement?.getAttribute("data-cell"),
      );
    expect(await focusedCell()).toBe("AX");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await focusedCell()).toBe("CZ");
    await page.keyboard.press("Enter");
    const list = page.locator("kam-segment-grid .list");
    await expect.poll(() => list.locator('[role="row"]').count()).toBeGreaterThan(0);
    const total = Number(await list.getAttribute("aria-rowcount"));
    const expected = (await kam.gql(matrixQuery, {}, admin)).segmentMatrix.cells.find(
      (cell: any) => cell.abc === "C" && cell.xyz === "Z",
    );
    expect(total).toBe(expected.accountCount);
    // Virtualised: only the rows in view are in the DOM.
    const rendered = await list.locator('[role="row"]').count();
    expect(rendered).toBeLessThan(total);
    expect(await list.locator('[role="row"]').first().getAttribute("aria-rowindex")).toBe("1");
    // Down twice, Enter: the third account is chosen.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const chosen = (await events(page)).find((event) => event.name === "kam-account-select");
    expect(chosen).toBeDefined();
    const node = await kam.gql(
      `query($id: ID!) { node(id: $id) { ... on Account { name } } }`,
      { id: chosen!.detail.accountId },
      admin,
    );
    expect(node.node.name).toBe(chosen!.detail.name);
    expect(await list.locator('[aria-rowindex="3"] .account').innerText()).toBe(chosen!.detail.name);
    // End, then the list pages on to its last account.
    await page.keyboard.press("End");
    await page.keyboard.press("Escape");
    expect(await focusedCell()).toBe("CZ");
    expect(await page.locator("kam-segment-grid .list").count()).toBe(0);
    await page.close();
  });

  it("says the session has expired, and fires kam-error, for an expired token", async () => {
    const expired = await kam.tokenFor("viewer@demo.kam", -60);
    const page = await mount(`token="${expired}"`);
    const state = page.locator('kam-segment-grid [data-kind="session-expired"]');
    await expect.poll(() => state.count()).toBe(1);
    expect(await state.innerText()).toMatch(/session has expired/);
    const error = (await events(page)).find((event) => event.name === "kam-error");
    expect(error?.detail.code).toBe("SESSION_EXPIRED");
    expect(await axeViolations(page, "kam-segment-grid")).toEqual([]);
    await page.close();
  });

  it("tries segment settings given as attributes without saving them: matrix, list and explanation follow", async () => {
    const page = await mount(`token="${admin}" measure="margin" abc-cutoff-a="0.5" window-months="6"`);
    await expect.poll(() => cells(page).count()).toBe(9);
    const tried = (
      await kam.gql(
        `{ segmentMatrix(settings: { segmentMeasure: MARGIN, abcCutoffA: 0.5, segmentWindowMonths: 6 }) { cells { abc xyz accountCount } } }`,
        {},
        admin,
      )
    ).segmentMatrix.cells as any[];
    const stored = (await kam.gql(matrixQuery, {}, admin)).segmentMatrix.cells as any[];
    expect(tried.map((cell) => cell.accountCount)).not.toEqual(stored.map((cell) => cell.accountCount));
    for (const cell of tried) {
      const text = await page
        .locator(`kam-segment-grid [data-cell="${cell.abc}${cell.xyz}"] .count`)
        .innerText();
      expect(Number(text.replace(/\D/g, "")), `${cell.abc}${cell.xyz}`).toBe(cell.accountCount);
    }
    expect(await page.locator("kam-segment-grid [data-trial]").innerText()).toMatch(/not saved/);
    expect(await page.locator("kam-segment-grid header .muted").innerText()).toMatch(/^gross margin/);
    await page.locator("kam-segment-grid header button").click();
    expect(await page.locator("kam-segment-grid .explanation").innerText()).toMatch(/less than 50%/);
    const busiest = tried.reduce((best, cell) => (cell.accountCount > best.accountCount ? cell : best));
    await page.locator(`kam-segment-grid [data-cell="${busiest.abc}${busiest.xyz}"]`).click();
    await expect
      .poll(() => page.locator("kam-segment-grid .list").getAttribute("aria-rowcount"))
      .toBe(String(busiest.accountCount));
    // Back to the stored settings when the attributes go.
    await page.evaluate(() => {
      const grid = document.querySelector("kam-segment-grid") as any;
      grid.measure = null;
      grid.abcCutoffA = null;
      grid.windowMonths = null;
    });
    await expect.poll(() => page.locator("kam-segment-grid [data-trial]").count()).toBe(0);
    const ax = stored.find((cell) => cell.abc === "A" && cell.xyz === "X");
    await expect
      .poll(async () =>
        Number(
          (await page.locator('kam-segment-grid [data-cell="AX"] .count').innerText()).replace(/\D/g, ""),
        ),
      )
      .toBe(ax.accountCount);
    const settings = await kam.gql("{ settings { abcCutoffA segmentMeasure } }", {}, admin);
    expect(settings.settings).toEqual({ abcCutoffA: 0.8, segmentMeasure: "REVENUE" });
    await page.close();
  });

  it("says why when the settings tried are inconsistent", async () => {
    const page = await mount(`token="${admin}" abc-cutoff-a="0.99"`);
    const error = page.locator('kam-segment-grid [data-kind="error"]');
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.innerText()).toMatch(/abcCutoffA: must be below abcCutoffB/);
    expect((await events(page)).find((event) => event.name === "kam-error")?.detail.code).toBe(
      "VALIDATION_FAILED",
    );
    await page.close();
  });

  it("asks its tokenProvider for a token, and again after a refusal", async () => {
    const page = await mount("");
    const valid = await kam.tokenFor("viewer@demo.kam");
    const expired = await kam.tokenFor("viewer@demo.kam", -60);
    await page.evaluate(
      ([first, second]) => {
        const tokens = [first, second];
        (window as any).asked = 0;
        const grid = document.querySelector("kam-segment-grid") as any;
        grid.tokenProvider = async () => tokens[Math.min((window as any).asked++, 1)];
      },
      [expired, valid],
    );
    await expect.poll(() => cells(page).count()).toBe(9);
    expect(await page.evaluate(() => (window as any).asked)).toBe(2);
    await page.close();
  });

  it("speaks the reader's language", async () => {
    const page = await mount(`token="${admin}" locale="fr"`);
    await expect.poll(() => cells(page).count()).toBe(9);
    expect(await page.locator("kam-segment-grid h2").innerText()).toBe("Segments ABC-XYZ");
    expect(await page.locator('kam-segment-grid [data-cell="AX"] .count').innerText()).toMatch(/comptes/);
    await page.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`passes an accessibility scan (WCAG 2.1 AA) in ${scheme} mode, matrix and list`, async () => {
      const page = await mount(`token="${admin}"`, scheme);
      await expect.poll(() => cells(page).count()).toBe(9);
      await page.locator("kam-segment-grid header button").click();
      expect(await axeViolations(page, "kam-segment-grid")).toEqual([]);
      await cells(page).first().click();
      await expect.poll(() => page.locator('kam-segment-grid .list [role="row"]').count()).toBeGreaterThan(0);
      expect(await axeViolations(page, "kam-segment-grid")).toEqual([]);
      if (scheme === "dark") await page.screenshot({ path: "/tmp/segment-grid-dark.png", fullPage: true });
      await page.close();
    });
  }
});
