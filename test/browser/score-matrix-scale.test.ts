import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../api/db/index.ts";
import { applyMigrations } from "../../api/db/migrate.ts";
import { articleCriteria } from "../../api/services/criteria-sets.ts";
import { insertRows } from "../../prisma/seed/bulk.ts";
import {
  createScaleCriteriaSet,
  scaleScoreColumns,
  scaleScoreRows,
  seedScaleData,
} from "../../prisma/seed/scale.ts";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { type KamProcess, startKamProcess } from "./support/kam-process.ts";

/**
 * `<kam-score-matrix>` over 10,000 scored accounts: the DOM holds a window of rows whatever the
 * reader scrolls through, pages arrive where the reader goes, and the keyboard reaches both ends
 * and keeps its cell while the rows under it come and go. One page for the whole file: the tests
 * run in order, each from a place it scrolls to first.
 */

const accountCount = 10_000;
/** Rows in the DOM at any moment, placeholders included: a window, never the whole list. */
const rowBound = 150;

/** 10,000 accounts (no sales), a criteria set of the article's ten criteria, about 93% of the cells scored. */
async function seedScoredAccounts(databaseUrl: string): Promise<string> {
  applyMigrations(databaseUrl);
  const db = openDatabase(databaseUrl);
  try {
    const summary = await seedScaleData(db, { accounts: accountCount, months: 1, lines: 0 });
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: summary.adminEmail } });
    const set = await createScaleCriteriaSet(db, admin, "Scale");
    const accounts = await db.prisma.account.findMany({ select: { id: true } });
    const scores = scaleScoreRows(
      accounts.map((account) => account.id),
      set.weights.map((entry) => entry.criterionId),
      admin,
      { seed: 7, evidence: "Scale evidence" },
    );
    await db.prisma.$transaction((tx) => insertRows(tx, "sqlite", "Score", scaleScoreColumns, scores), {
      timeout: 120_000,
    });
    return summary.adminEmail;
  } finally {
    await db.close();
  }
}

/** What the matrix holds in its DOM now. */
interface Snapshot {
  /** Rows of accounts, loaded or not (the header row left out). */
  rows: number;
  placeholders: number;
  /** aria-rowindex of the first and last rows of the virtualised list. */
  first: number;
  last: number;
  /** The most rows the DOM held at any one time since the page was mounted. */
  most: number;
}

const snapshot = (matrix: Locator) =>
  matrix.evaluate((element): Snapshot => {
    const root = element.shadowRoot as ShadowRoot;
    const rows = [...root.querySelectorAll('.matrix [role="row"]:not(.head)')];
    // Where the list is: the virtualised rows (the active row, kept when scrolled away, aside).
    const listed = [...root.querySelectorAll('.matrix .rows > [role="row"]')];
    const indexes = listed.map((row) => Number(row.getAttribute("aria-rowindex")));
    return {
      rows: rows.length,
      placeholders: rows.filter((row) => !row.hasAttribute("data-account")).length,
      first: Math.min(...indexes),
      last: Math.max(...indexes),
      most: (window as unknown as { mostRows: number }).mostRows,
    };
  });

/** Scrolls the grid (its own scroller) to a fraction of its rows. */
const scrollTo = (grid: Locator, fraction: number) =>
  grid.evaluate((element, to) => {
    element.scrollTop = (element.scrollHeight - element.clientHeight) * to;
  }, fraction);

/** The active cell as assistive technology finds it: the element aria-activedescendant names. */
const activeCell = (matrix: Locator) =>
  matrix.evaluate((element) => {
    const root = element.shadowRoot as ShadowRoot;
    const grid = root.querySelector(".matrix") as HTMLElement;
    const id = grid.getAttribute("aria-activedescendant");
    const cell = id ? root.getElementById(id) : null;
    const row = cell?.closest('[role="row"]');
    return {
      id,
      /** Whether the id names an element that is there. */
      rendered: Boolean(cell),
      rowIndex: row ? Number(row.getAttribute("aria-rowindex")) : null,
      account: row?.getAttribute("data-account") ?? null,
      name: row?.querySelector('[role="rowheader"]')?.textContent?.trim() ?? null,
      criterion: cell?.getAttribute("data-criterion") ?? null,
      /** Whether the cell is within the grid's scrolled view, below its sticky header. */
      inView: (() => {
        if (!cell) return false;
        const box = cell.getBoundingClientRect();
        const view = grid.getBoundingClientRect();
        const header = (root.querySelector(".row.head") as HTMLElement).getBoundingClientRect();
        return box.top >= header.bottom - 1 && box.bottom <= view.bottom + 1;
      })(),
      focused: root.activeElement === grid,
    };
  });

describe.skipIf(!chromiumAvailable())("<kam-score-matrix> at 10,000 accounts", () => {
  let kam: KamProcess;
  let browser: Browser;
  let dir: string;
  let admin: string;
  let page: Page;
  /** Pages of rows the matrix asked the API for. */
  let pagesAsked = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kam-browser-scale-"));
    const databaseUrl = `file:${path.join(dir, "kam.db")}`;
    const [adminEmail, launched] = await Promise.all([seedScoredAccounts(databaseUrl), launchChromium()]);
    browser = launched;
    kam = await startKamProcess({}, { databaseUrl, seedDemo: false });
    admin = await kam.tokenFor(adminEmail);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("request", (request) => {
      if (request.postData()?.includes("query KamScoreMatrix")) pagesAsked += 1;
    });
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate((markup) => {
      document.body.innerHTML = markup;
      // The most rows the grid ever held at once, counted after every change of its DOM.
      const state = window as unknown as { mostRows: number };
      state.mostRows = 0;
      const watch = (root: ShadowRoot) => {
        const count = () => {
          const rows = root.querySelectorAll('.matrix [role="row"]:not(.head)').length;
          state.mostRows = Math.max(state.mostRows, rows);
        };
        new MutationObserver(count).observe(root, { childList: true, subtree: true });
        count();
      };
      customElements.whenDefined("kam-score-matrix").then(() => {
        const element = document.querySelector("kam-score-matrix") as HTMLElement;
        if (element.shadowRoot) watch(element.shadowRoot);
      });
    }, `<main><kam-score-matrix token="${admin}" page-size="50"></kam-score-matrix></main>`);
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const matrixQuery = `query($first: Int, $after: String) {
    scoreMatrix(first: $first, after: $after, orderBy: { field: SCORE, direction: DESC }) {
      ... on QueryScoreMatrixSuccess { data { totalCount edges { node { accountName account { id } } } } }
    }
  }`;
  /** The API's row at a 0-based position, as the widget asks for it. */
  const apiRow = async (position: number) => {
    const after = position > 0 ? Buffer.from(`OffsetConnection:${position - 1}`).toString("base64") : null;
    const data = (await kam.gql(matrixQuery, { first: 1, after }, admin)).scoreMatrix.data;
    return {
      totalCount: data.totalCount as number,
      ...(data.edges[0].node as { accountName: string; account: { id: string } }),
    };
  };

  it("scrolls inside the grid: the grid keeps its height (--kam-score-matrix-height, 480px), not that of 10,000 rows", async () => {
    const grid = page.locator("kam-score-matrix .matrix");
    await expect
      .poll(() => page.locator("kam-score-matrix [data-account]").count(), { timeout: 20_000 })
      .toBeGreaterThan(5);
    const box = await grid.evaluate((element) => ({
      clientHeight: element.clientHeight,
      scrollHeight: element.scrollHeight,
    }));
    expect(box.clientHeight).toBeLessThanOrEqual(480);
    // It scrolls through all the rows it announces, not just the first page.
    expect(box.scrollHeight).toBeGreaterThan(box.clientHeight * 100);
  });

  it("holds a bounded window of rows while scrolled to the end, fetching the pages it reaches", async () => {
    const matrix = page.locator("kam-score-matrix");
    const grid = page.locator("kam-score-matrix .matrix");
    await expect
      .poll(() => page.locator("kam-score-matrix [data-account]").count(), { timeout: 20_000 })
      .toBeGreaterThan(5);
    expect(await grid.getAttribute("aria-rowcount")).toBe(String(accountCount + 1));
    const top = await snapshot(matrix);
    expect(top.first).toBe(2);
    expect(top.rows).toBeLessThanOrEqual(rowBound);

    const steps = 20;
    let sampled = top.rows;
    let previousFirst = top.first;
    for (let step = 1; step <= steps; step += 1) {
      // Each step settles when the rows at the new place are rendered and every one is loaded.
      await expect
        .poll(
          async () => {
            await scrollTo(grid, step / steps);
            const now = await snapshot(matrix);
            sampled = Math.max(sampled, now.rows);
            return now.rows > 0 && now.placeholders === 0 && now.first > previousFirst;
          },
          { timeout: 20_000, message: `step ${step} of ${steps}` },
        )
        .toBe(true);
      const now = await snapshot(matrix);
      expect(now.rows, `rows in the DOM at step ${step}`).toBeLessThanOrEqual(rowBound);
      previousFirst = now.first;
    }

    // The end: the last row is there, with the account the API ranks last.
    const last = await apiRow(accountCount - 1);
    expect(last.totalCount).toBe(accountCount);
    const lastRow = page.locator(`kam-score-matrix [role="row"][aria-rowindex="${accountCount + 1}"]`);
    await expect
      .poll(
        async () => {
          await scrollTo(grid, 1);
          return (await lastRow.count()) ? lastRow.getAttribute("data-account") : null;
        },
        { timeout: 20_000 },
      )
      .toBe(last.account.id);
    expect(await lastRow.locator('[role="rowheader"]').innerText()).toBe(last.accountName);
    const end = await snapshot(matrix);
    expect(end.last).toBe(accountCount + 1);
    expect(end.rows).toBeLessThanOrEqual(rowBound);
    expect(sampled).toBeLessThanOrEqual(rowBound);
    // Pages where the reader went (a page or two a step), not the 200 pages of the whole list.
    expect(pagesAsked).toBeGreaterThanOrEqual(steps);
    expect(pagesAsked).toBeLessThan(accountCount / 50 / 2);
    // Never more than a window at any moment of the whole journey, not only when sampled.
    expect(end.most).toBeGreaterThan(5);
    expect(end.most).toBeLessThanOrEqual(rowBound);
  }, 90_000);

  /** Scrolls the grid to a fraction of its rows and waits until the rows there are loaded. */
  async function settleAt(fraction: number, atLeast: number) {
    const matrix = page.locator("kam-score-matrix");
    await scrollTo(page.locator("kam-score-matrix .matrix"), fraction);
    await expect
      .poll(
        async () => {
          const now = await snapshot(matrix);
          return now.rows > 0 && now.placeholders === 0 && now.first >= atLeast;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
  }

  it("Ctrl+End puts the active cell on the last row, rendered and in view", async () => {
    const matrix = page.locator("kam-score-matrix");
    await settleAt(0, 2);
    await page.locator("kam-score-matrix .matrix").focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Home");
    const last = await apiRow(accountCount - 1);
    await page.keyboard.press("Control+End");
    await expect
      .poll(() => activeCell(matrix), { timeout: 15_000 })
      .toMatchObject({
        id: `c-${accountCount - 1}-0`,
        rendered: true,
        inView: true,
        rowIndex: accountCount + 1,
        account: last.account.id,
        name: last.accountName,
        focused: true,
      });
    expect((await snapshot(matrix)).rows).toBeLessThanOrEqual(rowBound);
  });

  it("Ctrl+Home from far down puts the active cell back on the first row, rendered and in view", async () => {
    const matrix = page.locator("kam-score-matrix");
    await settleAt(0.5, accountCount / 4);
    await page.locator("kam-score-matrix .matrix").focus();
    const first = await apiRow(0);
    await page.keyboard.press("Control+Home");
    await expect
      .poll(() => activeCell(matrix), { timeout: 15_000 })
      .toMatchObject({
        id: expect.stringMatching(/^c-0-\d+$/),
        rendered: true,
        inView: true,
        rowIndex: 2,
        account: first.account.id,
        focused: true,
      });
  });

  it("the active cell is the same account and criterion after the grid is wheeled far away and back", async () => {
    const matrix = page.locator("kam-score-matrix");
    const grid = page.locator("kam-score-matrix .matrix");
    await settleAt(0, 2);
    await grid.focus();
    // The second criterion of the fourth row, by keyboard from the first cell.
    await page.keyboard.press("Home");
    for (const key of ["ArrowUp", "ArrowUp", "ArrowUp", "ArrowDown", "ArrowDown", "ArrowDown"]) {
      await page.keyboard.press(key);
    }
    for (const key of ["ArrowRight", "ArrowRight"]) await page.keyboard.press(key);
    await expect
      .poll(() => activeCell(matrix))
      .toMatchObject({ id: "c-3-2", rendered: true, inView: true, rowIndex: 5 });
    const before = await activeCell(matrix);
    expect(before.account).toBe((await apiRow(3)).account.id);
    expect(before.criterion).toBe(articleCriteria[1]?.key);

    // Far away with the mouse wheel; the grid never names a cell that is not there meanwhile.
    const box = await grid.boundingBox();
    if (!box) throw new Error("the grid has no box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(
        async () => {
          await page.mouse.wheel(0, 20_000);
          const now = await snapshot(matrix);
          return now.first > 1_000 && now.placeholders === 0;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const away = await activeCell(matrix);
    expect(away.id === null || away.rendered).toBe(true);
    expect(away.focused).toBe(true);
    expect((await snapshot(matrix)).rows).toBeLessThanOrEqual(rowBound);

    // And back: the same account and criterion are active, and the keyboard goes on from there.
    await expect
      .poll(
        async () => {
          await page.mouse.wheel(0, -100_000);
          return (await snapshot(matrix)).first;
        },
        { timeout: 20_000 },
      )
      .toBe(2);
    await expect.poll(() => activeCell(matrix), { timeout: 15_000 }).toEqual(before);
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => activeCell(matrix))
      .toMatchObject({ id: "c-3-3", account: before.account, criterion: articleCriteria[2]?.key });
    expect((await snapshot(matrix)).most).toBeLessThanOrEqual(rowBound);
  });

  it("keeps the active row rendered while the reader scrolls away from it (the grid pattern's focused row)", async () => {
    const matrix = page.locator("kam-score-matrix");
    await settleAt(0, 2);
    await page.locator("kam-score-matrix .matrix").focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => activeCell(matrix)).toMatchObject({ rendered: true, inView: true });
    const before = await activeCell(matrix);
    await settleAt(0.5, accountCount / 4);
    // Assistive technology still finds the cell it is on, though the reader looks elsewhere.
    await expect.poll(() => activeCell(matrix), { timeout: 10_000 }).toEqual({ ...before, inView: false });
    expect((await snapshot(matrix)).rows).toBeLessThanOrEqual(rowBound);
  });
});
