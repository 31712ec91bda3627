import { msg, str } from "@lit/localize";
import { virtualize } from "@lit-labs/virtualizer/virtualize.js";
import { html, nothing, type PropertyValues } from "lit";
import { KamElement } from "./base/kam-element.ts";
import { scrollToRow } from "./base/virtual-rows.ts";
import type { KamClient } from "./client/client.ts";
import {
  type AbcClass,
  type CellAccount,
  cellAccountsQuery,
  type SegmentCell,
  type SegmentMatrixResult,
  type SegmentSettingsInput,
  segmentMatrixQuery,
  type XyzClass,
} from "./client/operations/segments.ts";
import { defineElement } from "./define.ts";
import { formatAmount, formatCompactAmount, formatInteger, formatNumber, formatShare } from "./format.ts";
import { styles } from "./kam-segment-grid.styles.ts";

const abcClasses: AbcClass[] = ["A", "B", "C"];
const xyzClasses: XyzClass[] = ["X", "Y", "Z"];

/**
 * The ABC-XYZ matrix of the portfolio: per cell its accounts, their value and share, tinted by
 * value with the numbers always written. Choosing a cell lists its accounts (virtualised, paged
 * from the API as the list scrolls); choosing an account fires `kam-account-select`.
 *
 * The segment settings may be tried without saving them (`measure`, `window-months`, the
 * cut-offs): the matrix, the lists and the explanation then follow those, and say so.
 *
 * Keyboard: the matrix is one tab stop; arrow keys move between cells, Enter or Space opens one,
 * Escape goes back. In the list, arrow keys, Home and End move, Enter chooses.
 *
 * @tag kam-segment-grid
 * @summary ABC × XYZ segment matrix with each cell's accounts.
 * @fires {CustomEvent<KamAccountSelectDetail>} kam-account-select - An account of a cell was chosen.
 * @fires {CustomEvent<KamSegmentSelectDetail>} kam-segment-select - A cell was opened (its classes) or closed (nulls).
 * @fires {CustomEvent<KamErrorDetail>} kam-error - Loading failed; `code` says why.
 * @fires {CustomEvent<KamReadyDetail>} kam-ready - The matrix is loaded.
 * @csspart header - The title, window and explanation button.
 * @csspart grid - The 3×3 matrix.
 * @csspart cell - One cell of the matrix.
 * @csspart explanation - The explanation of the classes.
 * @csspart list - A cell's list of accounts.
 * @csspart row - One account of the list.
 * @csspart button - The buttons.
 * @csspart state - The loading, empty, error and expired messages.
 * @csspart stale - The notice over data kept while offline.
 * @cssproperty --kam-color-surface - Background.
 * @cssproperty --kam-color-surface-raised - Background of cells and the list.
 * @cssproperty --kam-color-text - Text.
 * @cssproperty --kam-color-text-muted - Secondary text.
 * @cssproperty --kam-color-border - Borders.
 * @cssproperty --kam-color-accent - Tint of value, selection.
 * @cssproperty --kam-color-focus - Focus ring.
 * @cssproperty --kam-color-warning - Flags and stale data.
 * @cssproperty --kam-radius - Corner radius.
 * @cssproperty --kam-font-family - Font.
 * @cssproperty --kam-space - Base spacing.
 */
export class KamSegmentGrid extends KamElement {
  static override styles = styles;

  static override properties = {
    ...KamElement.properties,
    measure: { type: String },
    windowMonths: { type: Number, attribute: "window-months" },
    abcCutoffA: { type: Number, attribute: "abc-cutoff-a" },
    abcCutoffB: { type: Number, attribute: "abc-cutoff-b" },
    xyzCutoffX: { type: Number, attribute: "xyz-cutoff-x" },
    xyzCutoffY: { type: Number, attribute: "xyz-cutoff-y" },
    xyzMinimumMonths: { type: Number, attribute: "xyz-minimum-months" },
    matrix: { state: true },
    focused: { state: true },
    openCell: { state: true },
    rows: { state: true },
    rowCount: { state: true },
    activeRow: { state: true },
    explaining: { state: true },
  };

  /** What ABC ranks by, to try instead of the stored setting: `revenue` or `margin`. */
  declare measure: string | null;
  /** Complete months, ending last month, to try (3 to 36). */
  declare windowMonths: number | null;
  /** Cumulative share up to which accounts are A, to try (0-1). */
  declare abcCutoffA: number | null;
  /** Cumulative share up to which accounts are B, to try (0-1). */
  declare abcCutoffB: number | null;
  /** Coefficient of variation up to which demand is X, to try. */
  declare xyzCutoffX: number | null;
  /** Coefficient of variation up to which demand is Y, to try. */
  declare xyzCutoffY: number | null;
  /** Months of history below which an account counts as Z, to try. */
  declare xyzMinimumMonths: number | null;
  declare private matrix: SegmentMatrixResult | null;
  declare private focused: number;
  declare private openCell: SegmentCell | null;
  declare private rows: CellAccount[];
  declare private rowCount: number;
  declare private activeRow: number;
  declare private explaining: boolean;
  private nextPage: string | null = null;
  private loadingPage: Promise<void> | null = null;
  private listVersion = 0;

  constructor() {
    super();
    this.measure = null;
    this.windowMonths = null;
    this.abcCutoffA = null;
    this.abcCutoffB = null;
    this.xyzCutoffX = null;
    this.xyzCutoffY = null;
    this.xyzMinimumMonths = null;
    this.matrix = null;
    this.focused = 0;
    this.openCell = null;
    this.rows = [];
    this.rowCount = 0;
    this.activeRow = 0;
    this.explaining = false;
  }

  /** The segment settings being tried, or null for the stored ones. */
  private trial(): SegmentSettingsInput | null {
    const number = (value: number | null) => (value === null || Number.isNaN(value) ? undefined : value);
    const measure = this.measure?.trim().toUpperCase();
    const trial: SegmentSettingsInput = {
      segmentMeasure: measure === "REVENUE" || measure === "MARGIN" ? measure : undefined,
      segmentWindowMonths: number(this.windowMonths),
      abcCutoffA: number(this.abcCutoffA),
      abcCutoffB: number(this.abcCutoffB),
      xyzCutoffX: number(this.xyzCutoffX),
      xyzCutoffY: number(this.xyzCutoffY),
      xyzMinimumMonths: number(this.xyzMinimumMonths),
    };
    const set = Object.entries(trial).filter(([, value]) => value !== undefined);
    return set.length ? (Object.fromEntries(set) as SegmentSettingsInput) : null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const settings = [
      "measure",
      "windowMonths",
      "abcCutoffA",
      "abcCutoffB",
      "xyzCutoffX",
      "xyzCutoffY",
      "xyzMinimumMonths",
    ] as const;
    if (this.changedSinceFirstRender(changed, settings)) this.refresh();
  }

  protected override async load(client: KamClient, signal: AbortSignal): Promise<boolean> {
    this.matrix = await client.request(segmentMatrixQuery, { settings: this.trial() }, signal);
    if (this.openCell) {
      const cell = this.cellAt(this.cellIndex(this.openCell));
      if (cell) await this.openList(cell, client, signal);
    }
    return this.matrix.segmentMatrix.accountCount > 0;
  }

  private cellIndex(cell: Pick<SegmentCell, "abc" | "xyz">): number {
    return abcClasses.indexOf(cell.abc) * 3 + xyzClasses.indexOf(cell.xyz);
  }

  private cellAt(index: number): SegmentCell | undefined {
    const abc = abcClasses[Math.floor(index / 3)];
    const xyz = xyzClasses[index % 3];
    return this.matrix?.segmentMatrix.cells.find((cell) => cell.abc === abc && cell.xyz === xyz);
  }

  private async openList(cell: SegmentCell, client = this.kam, signal?: AbortSignal): Promise<void> {
    const version = ++this.listVersion;
    this.openCell = cell;
    this.rows = [];
    this.rowCount = cell.accountCount;
    this.activeRow = 0;
    this.nextPage = null;
    const page = await client.request(
      cellAccountsQuery,
      { abc: [cell.abc], xyz: [cell.xyz], after: null, settings: this.trial() },
      signal,
    );
    if (version !== this.listVersion) return;
    this.rows = page.accounts.edges.map((edge) => edge.node);
    this.rowCount = page.accounts.totalCount;
    this.nextPage = page.accounts.pageInfo.hasNextPage ? page.accounts.pageInfo.endCursor : null;
  }

  /** The next page of the open cell, when the list comes near its end. */
  private loadMore(): Promise<void> {
    const cell = this.openCell;
    if (!cell || !this.nextPage) return Promise.resolve();
    const version = this.listVersion;
    this.loadingPage ??= this.kam
      .request(cellAccountsQuery, {
        abc: [cell.abc],
        xyz: [cell.xyz],
        after: this.nextPage,
        settings: this.trial(),
      })
      .then((page) => {
        if (version !== this.listVersion) return;
        this.rows = [...this.rows, ...page.accounts.edges.map((edge) => edge.node)];
        this.nextPage = page.accounts.pageInfo.hasNextPage ? page.accounts.pageInfo.endCursor : null;
      })
      .catch(() => undefined)
      .finally(() => {
        this.loadingPage = null;
      });
    return this.loadingPage;
  }

  private choose(index: number): void {
    const cell = this.cellAt(index);
    if (!cell) return;
    this.focused = index;
    this.emit("kam-segment-select", { abc: cell.abc, xyz: cell.xyz });
    void this.openList(cell).then(
      () => this.updateComplete.then(() => this.listElement()?.focus()),
      () => undefined,
    );
  }

  private closeList(): void {
    this.listVersion += 1;
    this.openCell = null;
    this.emit("kam-segment-select", { abc: null, xyz: null });
    void this.updateComplete.then(() => this.cellElement(this.focused)?.focus());
  }

  private cellElement(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-index="${index}"]`);
  }

  private listElement(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(".list");
  }

  private onGridKey(event: KeyboardEvent): void {
    const row = Math.floor(this.focused / 3);
    const column = this.focused % 3;
    const moves: Record<string, number> = {
      ArrowRight: row * 3 + Math.min(2, column + 1),
      ArrowLeft: row * 3 + Math.max(0, column - 1),
      ArrowDown: Math.min(2, row + 1) * 3 + column,
      ArrowUp: Math.max(0, row - 1) * 3 + column,
      Home: row * 3,
      End: row * 3 + 2,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      this.focused = target;
      void this.updateComplete.then(() => this.cellElement(target)?.focus());
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.choose(this.focused);
    }
  }

  private onListKey(event: KeyboardEvent): void {
    const last = this.rows.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, this.activeRow + 1),
      ArrowUp: Math.max(0, this.activeRow - 1),
      PageDown: Math.min(last, this.activeRow + 10),
      PageUp: Math.max(0, this.activeRow - 10),
      Home: 0,
      End: last,
    };
    const target = moves[event.key];
    if (target !== undefined && last >= 0) {
      event.preventDefault();
      this.activeRow = target;
      const list = this.listElement();
      const rows = list?.querySelector<HTMLElement>(".rows");
      if (list && rows) scrollToRow(list, rows, target, target + 1);
      if (target >= this.rows.length - 20) void this.loadMore();
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.select(this.rows[this.activeRow]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.closeList();
    }
  }

  private select(account: CellAccount | undefined): void {
    if (account) this.emit("kam-account-select", { accountId: account.id, name: account.name });
  }

  protected override render() {
    return this.renderState(() => this.renderMatrix());
  }

  private renderMatrix() {
    const matrix = this.matrix;
    if (!matrix) return nothing;
    const { window, measure, cells } = matrix.segmentMatrix;
    const largest = Math.max(...cells.map((cell) => cell.share), 0.0001);
    const measureName =
      measure === "MARGIN"
        ? msg("gross margin", { id: "grid.measure.margin" })
        : msg("revenue", { id: "grid.measure.revenue" });
    const xyzLabel: Record<XyzClass, string> = {
      X: msg("X · steady", { id: "grid.x" }),
      Y: msg("Y · variable", { id: "grid.y" }),
      Z: msg("Z · irregular", { id: "grid.z" }),
    };
    return html`
      <header part="header">
        <h2 id="title">${msg("ABC-XYZ segments", { id: "grid.title" })}</h2>
        <p class="muted">
          ${msg(str`${measureName}, ${window.from} to ${window.to}`, { id: "grid.window" })}
        </p>
        ${
          this.trial()
            ? html`<p class="trial" data-trial>${msg("Trying settings: not saved.", { id: "grid.trial" })}</p>`
            : nothing
        }
        <button
          type="button"
          part="button"
          aria-expanded=${this.explaining ? "true" : "false"}
          aria-controls="explanation"
          @click=${() => {
            this.explaining = !this.explaining;
          }}
        >
          ${msg("How the classes work", { id: "grid.explain" })}
        </button>
      </header>
      ${this.explaining ? this.renderExplanation(measureName) : nothing}
      <div class="layout">
        <div role="grid" class="grid" part="grid" aria-labelledby="title" @keydown=${this.onGridKey}>
          <div role="row" class="grid-row">
            <span role="columnheader" class="corner"><span class="visually-hidden">ABC / XYZ</span></span>
            ${xyzClasses.map((xyz) => html`<span role="columnheader" class="axis">${xyzLabel[xyz]}</span>`)}
          </div>
          ${abcClasses.map(
            (abc) => html`<div role="row" class="grid-row">
              <span role="rowheader" class="axis">${abc}</span>
              ${xyzClasses.map((xyz) => this.renderCell(abc, xyz, largest))}
            </div>`,
          )}
        </div>
        ${this.openCell ? this.renderList(this.openCell) : nothing}
      </div>
    `;
  }

  private renderCell(abc: AbcClass, xyz: XyzClass, largest: number) {
    const index = abcClasses.indexOf(abc) * 3 + xyzClasses.indexOf(xyz);
    const cell = this.cellAt(index);
    if (!cell) return nothing;
    const level = cell.share / largest;
    const open = this.openCell?.abc === abc && this.openCell?.xyz === xyz;
    const count = formatInteger(cell.accountCount);
    const share = formatShare(cell.share);
    const value = formatAmount(cell.value);
    return html`<div
      role="gridcell"
      part="cell"
      class="cell"
      data-index=${index}
      data-cell=${`${abc}${xyz}`}
      tabindex=${index === this.focused ? 0 : -1}
      aria-selected=${open ? "true" : "false"}
      style=${`--level: ${Math.round(level * 100)}`}
      @click=${() => this.choose(index)}
      @focus=${() => {
        this.focused = index;
      }}
    >
      <span class="name">${abc}${xyz}</span>
      <span class="count">${msg(str`${count} accounts`, { id: "grid.accounts" })}</span>
      <span class="value" title=${value}>${formatCompactAmount(cell.value)}</span>
      <span class="share">${msg(str`${share} of the value`, { id: "grid.share" })}</span>
      <span class="bar" aria-hidden="true"><span style=${`width: ${Math.max(2, Math.round(cell.share * 100))}%`}></span></span>
    </div>`;
  }

  private renderExplanation(measureName: string) {
    const settings = this.matrix?.segmentMatrix.settings;
    if (!settings) return nothing;
    return html`<div id="explanation" class="explanation" part="explanation">
      <p>
        ${msg(
          str`ABC ranks the accounts by ${measureName}, largest first: an account is A while the accounts above it make less than ${formatShare(settings.abcCutoffA)} of the total, B while they make less than ${formatShare(settings.abcCutoffB)}, C after.`,
          { id: "grid.explain.abc" },
        )}
      </p>
      <p>
        ${msg(
          str`XYZ measures regularity, the coefficient of variation of the monthly values: X up to ${formatNumber(settings.xyzCutoffX)}, Y up to ${formatNumber(settings.xyzCutoffY)}, Z above, and Z too with fewer than ${settings.xyzMinimumMonths} months of history.`,
          { id: "grid.explain.xyz" },
        )}
      </p>
    </div>`;
  }

  private renderList(cell: SegmentCell) {
    const name = `${cell.abc}${cell.xyz}`;
    return html`<section class="panel" aria-labelledby="list-title">
      <div class="panel-head">
        <h3 id="list-title">${msg(str`Accounts in ${name}`, { id: "grid.list.title" })}</h3>
        <button type="button" part="button" @click=${() => this.closeList()}>
          ${msg("Back to the matrix", { id: "grid.back" })}
        </button>
      </div>
      ${
        this.rowCount === 0
          ? html`<p class="state" part="state">${msg("No account in this cell.", { id: "grid.list.empty" })}</p>`
          : html`<div
              class="list"
              part="list"
              role="grid"
              tabindex="0"
              aria-labelledby="list-title"
              aria-rowcount=${this.rowCount}
              aria-activedescendant=${`row-${this.activeRow}`}
              @keydown=${this.onListKey}
            >
              <div
                role="rowgroup"
                class="rows"
                @rangeChanged=${(event: Event & { last: number }) => {
                  if (event.last >= this.rows.length - 20) void this.loadMore();
                }}
              >
                ${virtualize({
                  items: this.rows,
                  keyFunction: (account: CellAccount) => account.id,
                  renderItem: (account: CellAccount, index: number) => this.renderRow(account, index),
                })}
              </div>
            </div>`
      }
    </section>`;
  }

  private renderRow(account: CellAccount, index: number) {
    const segment = account.segment;
    return html`<div
      role="row"
      part="row"
      class="row"
      id=${`row-${index}`}
      aria-rowindex=${index + 1}
      aria-selected=${index === this.activeRow ? "true" : "false"}
      @click=${() => {
        this.activeRow = index;
        this.select(account);
      }}
    >
      <span role="gridcell" class="account">${account.name}</span>
      <span role="gridcell" class="num">${segment ? formatAmount(segment.value) : "–"}</span>
      <span role="gridcell" class="num">${segment ? formatShare(segment.share) : "–"}</span>
      <span role="gridcell" class="num">
        ${
          segment?.coefficientOfVariation == null
            ? "–"
            : msg(str`CV ${formatNumber(segment.coefficientOfVariation)}`, { id: "grid.row.cv" })
        }
      </span>
      <span role="gridcell" class="num">
        ${segment ? msg(str`${segment.activeMonths} months`, { id: "grid.row.months" }) : "–"}
      </span>
      <span role="gridcell" class="flags">
        ${segment?.noSalesInWindow ? html`<span class="flag">${msg("no sales in window", { id: "grid.flag.no-sales" })}</span>` : nothing}
        ${segment?.insufficientHistory ? html`<span class="flag">${msg("short history", { id: "grid.flag.short" })}</span>` : nothing}
      </span>
    </div>`;
  }
}

defineElement("kam-segment-grid", KamSegmentGrid);

declare global {
  interface HTMLElementTagNameMap {
    "kam-segment-grid": KamSegmentGrid;
  }
}
