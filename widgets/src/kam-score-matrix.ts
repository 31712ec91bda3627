import { msg, str } from "@lit/localize";
import { virtualize } from "@lit-labs/virtualizer/virtualize.js";
import { html, nothing, type PropertyValues } from "lit";
import { KamElement } from "./base/kam-element.ts";
import { scrollToRow } from "./base/virtual-rows.ts";
import { type KamClient, KamRequestError } from "./client/client.ts";
import {
  type CriteriaSetSummary,
  type Explanation,
  explanationQuery,
  type MatrixCell,
  type MatrixOrderField,
  type MatrixPage,
  type MatrixRow,
  matrixChoicesQuery,
  type Owner,
  type ScoreInput,
  scoreChangedSubscription,
  scoreMatrixQuery,
  setScoresMutation,
} from "./client/operations/scores.ts";
import { defineElement } from "./define.ts";
import { formatInteger, formatNumber, formatShare } from "./format.ts";
import { labels as enumLabels } from "./kam-dossier-card.labels.ts";
import { styles } from "./kam-score-matrix.styles.ts";
import { getLocale } from "./localization.ts";

/** The columns after the criteria, in order ("compared" only while a second set is compared). */
const allTotals = ["score", "rank", "compared", "percentile", "completeness", "trend", "verdict"] as const;
type Total = (typeof allTotals)[number];

/** The filters the reader sets in the matrix, over the `filter` attribute's (empty: any). */
interface Choices {
  abc: string;
  xyz: string;
  status: string;
  ownerId: string;
  /** "true": key accounts only; "false": the others. */
  key: string;
}

const noChoices: Choices = { abc: "", xyz: "", status: "", ownerId: "", key: "" };

/** Sorting a totals column sorts by what the API orders by. */
const orderOf: Partial<Record<Total, MatrixOrderField>> = {
  score: "SCORE",
  rank: "SCORE",
  percentile: "SCORE",
  completeness: "COMPLETENESS",
};

/** The API's cursor for a row's position: pages are fetched where the reader scrolls to. */
const cursorBefore = (offset: number) => (offset > 0 ? btoa(`OffsetConnection:${offset - 1}`) : null);

interface Editing {
  row: number;
  criterion: number;
  draft: string;
}

/**
 * The scoring matrix: accounts × criteria as a heat map, with each row's weighted score, rank,
 * percentile, completeness, trend against 90 days before and key-account verdict under the set's
 * rule. Rows are virtualised and fetched page by page as the reader scrolls. A reader who may
 * change an account scores it in place (optimistic, rolled back with the server's reason when
 * refused); any row explains itself on demand; changes made elsewhere arrive live.
 *
 * Keyboard: the matrix is one tab stop. Arrow keys move, Home/End go to the row's ends,
 * Ctrl+Home/End to the first/last row, PageUp/PageDown move ten rows. On a criterion, a digit or
 * Enter edits the score (Enter saves, Escape cancels); on the account, Enter explains the row.
 *
 * @tag kam-score-matrix
 * @summary Accounts × criteria: scores, ranks and key-account verdicts, editable and live.
 * @fires {CustomEvent<KamScoreChangeDetail>} kam-score-change - A score was saved (after the server confirmed).
 * @fires {CustomEvent<KamAccountSelectDetail>} kam-account-select - An account's name was chosen.
 * @fires {CustomEvent<KamErrorDetail>} kam-error - Loading or saving failed; `code` says why.
 * @fires {CustomEvent<KamReadyDetail>} kam-ready - The matrix is loaded.
 * @csspart header - The title, filters and set choice.
 * @csspart matrix - The scrolling grid.
 * @csspart row - One account's row.
 * @csspart panel - The editing form and the explanation.
 * @csspart button - The buttons.
 * @csspart state - The loading, empty, error and expired messages.
 * @csspart stale - The notice over data kept while offline.
 * @cssproperty --kam-score-matrix-height - Height of the scrolling grid (480px).
 * @cssproperty --kam-color-accent - Heat of the scores, selection.
 * @cssproperty --kam-color-focus - Focus ring and the active cell.
 * @cssproperty --kam-color-warning - Live changes, drafts.
 * @cssproperty --kam-color-danger - Refused changes, accounts that would drop.
 * @cssproperty --kam-color-success - Key accounts.
 */
export class KamScoreMatrix extends KamElement {
  static override styles = styles;

  static override properties = {
    ...KamElement.properties,
    criteriaSet: { type: String, attribute: "criteria-set" },
    filter: { type: String },
    asOf: { type: String, attribute: "as-of" },
    pageSize: { type: Number, attribute: "page-size" },
    page: { state: true },
    rows: { state: true },
    sets: { state: true },
    chosenSet: { state: true },
    compareSet: { state: true },
    owners: { state: true },
    choices: { state: true },
    search: { state: true },
    order: { state: true },
    active: { state: true },
    editing: { state: true },
    explaining: { state: true },
    notice: { state: true },
  };

  /** The criteria set's ID; the active set by default (the reader may choose another). */
  declare criteriaSet: string | null;
  /** An AccountFilter as JSON, e.g. `{"abc":["A"],"status":["ACTIVE"]}`. */
  declare filter: string | null;
  /** Scores as they stood at this instant (ISO 8601); read-only. */
  declare asOf: string | null;
  /** Rows per request, 10-100 (50). */
  declare pageSize: number | null;
  declare private page: MatrixPage | null;
  declare private rows: (MatrixRow | undefined)[];
  declare private sets: CriteriaSetSummary[];
  declare private chosenSet: string | null;
  declare private compareSet: string | null;
  declare private owners: Owner[];
  declare private choices: Choices;
  declare private search: string;
  declare private order: { field: MatrixOrderField; direction: "ASC" | "DESC"; criterionKey?: string };
  declare private active: { row: number; column: number };
  declare private editing: Editing | null;
  declare private explaining: { row: MatrixRow; data: Explanation | null; error: string | null } | null;
  declare private notice: { text: string; failed: boolean } | null;
  private loadedPages = new Set<number>();
  private loadingPages = new Map<number, Promise<void>>();
  private generation = 0;
  private pending = new Map<string, MatrixCell>();
  private drafts = new Map<string, number>();
  private flashing = new Set<string>();
  /** The rows the virtualizer has rendered (none until it says so). */
  private visible = { first: -1, last: -1 };
  private liveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.criteriaSet = null;
    this.filter = null;
    this.asOf = null;
    this.pageSize = null;
    this.page = null;
    this.rows = [];
    this.sets = [];
    this.chosenSet = null;
    this.compareSet = null;
    this.owners = [];
    this.choices = noChoices;
    this.search = "";
    this.order = { field: "SCORE", direction: "DESC" };
    this.active = { row: 0, column: 0 };
    this.editing = null;
    this.explaining = null;
    this.notice = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.changedSinceFirstRender(changed, ["criteriaSet", "filter", "asOf", "pageSize"])) {
      // A set named by the page replaces the reader's choice; other changes keep it.
      if (this.changedSinceFirstRender(changed, ["criteriaSet"])) this.chosenSet = null;
      this.refresh();
    }
  }

  private get size(): number {
    const size = Number(this.pageSize);
    return Number.isFinite(size) && size > 0 ? Math.min(100, Math.max(10, Math.round(size))) : 50;
  }

  private variables(offset: number) {
    let filter: Record<string, unknown> = {};
    if (this.filter) {
      try {
        filter = JSON.parse(this.filter) as Record<string, unknown>;
      } catch {
        throw new KamRequestError("VALIDATION_FAILED", "The filter attribute is not JSON.");
      }
    }
    if (this.search.trim()) filter = { ...filter, search: this.search.trim() };
    const { abc, xyz, status, ownerId, key } = this.choices;
    if (abc) filter = { ...filter, abc: [abc] };
    if (xyz) filter = { ...filter, xyz: [xyz] };
    if (status) filter = { ...filter, status: [status] };
    if (ownerId) filter = { ...filter, ownerId };
    if (key) filter = { ...filter, isKeyAccount: key === "true" };
    const compareSetId = this.comparedSet()?.id ?? null;
    return {
      criteriaSetId: this.chosenSet ?? this.criteriaSet ?? null,
      filter: Object.keys(filter).length ? filter : null,
      orderBy: this.order,
      asOf: this.asOf || null,
      first: this.size,
      after: cursorBefore(offset),
      compareSetId,
      comparing: compareSetId !== null,
    };
  }

  private async fetchPage(client: KamClient, offset: number, signal?: AbortSignal): Promise<MatrixPage> {
    const result = await client.request(scoreMatrixQuery, this.variables(offset), signal);
    const matrix = result.scoreMatrix;
    if (matrix.__typename !== "QueryScoreMatrixSuccess" || !("data" in matrix)) {
      const failure = matrix as { code: string; message: string };
      throw new KamRequestError(failure.code, failure.message);
    }
    return matrix.data;
  }

  protected override async load(client: KamClient, signal: AbortSignal): Promise<boolean> {
    const generation = ++this.generation;
    // Every page under the rows in view is read again at once, so that none of them blinks to a
    // placeholder and the scroll position holds.
    const top = Math.max(0, this.visible.first);
    const first = top - (top % this.size);
    const bottom = Math.max(top, this.visible.last);
    const more: number[] = [];
    for (let offset = first + this.size; offset <= bottom; offset += this.size) more.push(offset);
    const [choices, page, ...others] = await Promise.all([
      this.sets.length ? null : client.request(matrixChoicesQuery, {}, signal),
      this.fetchPage(client, first, signal).catch((error: unknown) => {
        // No set named and none active yet: nothing to score, not a failure.
        const noSet = error instanceof KamRequestError && error.code === "NOT_FOUND";
        if (noSet && !(this.chosenSet ?? this.criteriaSet)) return null;
        throw error;
      }),
      ...more.map((offset) => this.fetchPage(client, offset, signal)),
    ]);
    if (!page) {
      this.page = null;
      this.rows = [];
      return false;
    }
    if (generation !== this.generation) return page.totalCount > 0;
    const previous = this.rows[this.active.row]?.account.id;
    if (choices) {
      this.sets = choices.criteriaSets;
      this.owners = choices.users.edges.map((edge) => edge.node);
    }
    this.page = page;
    this.rows = new Array(page.totalCount);
    this.loadedPages = new Set();
    this.loadingPages = new Map();
    this.place(first, page);
    others.forEach((other, index) => {
      const offset = more[index] as number;
      if (offset < page.totalCount) this.place(offset, other);
    });
    // Data changed under the reader: the focus follows its account when it is still in view.
    if (previous) {
      const moved = this.rows.findIndex((row) => row?.account.id === previous);
      if (moved >= 0) this.active = { ...this.active, row: moved };
    }
    this.active = {
      row: Math.min(this.active.row, Math.max(0, page.totalCount - 1)),
      column: Math.min(this.active.column, this.columnCount - 1),
    };
    this.watchLive();
    return page.totalCount > 0;
  }

  private place(offset: number, page: MatrixPage): void {
    const rows = [...this.rows];
    page.edges.forEach((edge, index) => {
      rows[offset + index] = edge.node;
    });
    this.rows = rows;
    this.loadedPages.add(offset / this.size);
  }

  /** Fetches the pages under rows first..last that are not loaded yet. */
  private ensureRows(first: number, last: number): void {
    const generation = this.generation;
    const from = Math.max(0, first);
    const to = Math.min(this.rows.length - 1, last);
    for (let page = Math.floor(from / this.size); page <= Math.floor(to / this.size); page += 1) {
      if (this.loadedPages.has(page) || this.loadingPages.has(page)) continue;
      const loading = this.fetchPage(this.kam, page * this.size)
        .then((data) => {
          if (generation === this.generation) this.place(page * this.size, data);
        })
        .catch(() => undefined)
        .finally(() => this.loadingPages.delete(page));
      this.loadingPages.set(page, loading);
    }
  }

  /** The set compared with, unless it is the one shown. */
  private comparedSet(): CriteriaSetSummary | undefined {
    const shown = this.chosenSet ?? this.criteriaSet ?? this.page?.criteriaSet.id;
    return this.compareSet && this.compareSet !== shown
      ? this.sets.find((set) => set.id === this.compareSet)
      : undefined;
  }

  private get totals(): readonly Total[] {
    return this.comparedSet() ? allTotals : allTotals.filter((total) => total !== "compared");
  }

  private get columnCount(): number {
    return 1 + (this.page?.columns.length ?? 0) + this.totals.length;
  }

  private criterionAt(column: number) {
    return this.page?.columns[column - 1];
  }

  private cellKey(row: MatrixRow, criterionKey: string): string {
    return `${row.account.id}\u0000${criterionKey}`;
  }

  private canEdit(row: MatrixRow | undefined): boolean {
    return Boolean(row?.account.viewerCanEdit && !row.account.archivedAt && !this.asOf);
  }

  // ——— live updates ———

  /** Subscribes to the score changes of the accounts in view; again when the view moves. */
  private watchLive(): void {
    clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => {
      if (!this.isConnected) return;
      const ids = this.rows
        .slice(this.visible.first, this.visible.last + 1)
        .flatMap((row) => (row ? [row.account.id] : []));
      if (!ids.length) return this.closeStream("scores");
      this.stream(
        "scores",
        scoreChangedSubscription,
        { accountIds: ids },
        ({ scoreChanged }) => this.changedElsewhere(scoreChanged.accountId, scoreChanged.criterionKey),
        () => this.refresh(),
      );
    }, 300);
  }

  private changedElsewhere(accountId: string, criterionKey: string): void {
    // Our own save in flight: its confirmation re-reads the rows already.
    if (this.pending.has(`${accountId}\u0000${criterionKey}`)) return;
    this.flashing.add(accountId);
    setTimeout(() => {
      this.flashing.delete(accountId);
      this.requestUpdate();
    }, 1_600);
    this.refresh();
  }

  // ——— editing ———

  private startEdit(row: number, column: number, draft = ""): void {
    const account = this.rows[row];
    if (!this.canEdit(account) || !this.criterionAt(column)) return;
    const current = account?.cells[column - 1]?.value;
    this.editing = { row, criterion: column, draft: draft || (current ? String(current) : "") };
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>("#edit-value")?.focus(),
    );
  }

  private cancelEdit(): void {
    this.editing = null;
    void this.updateComplete.then(() => this.gridElement()?.focus());
  }

  private saveEdit(form: HTMLFormElement): void {
    const editing = this.editing;
    const row = editing ? this.rows[editing.row] : undefined;
    const column = editing ? this.criterionAt(editing.criterion) : undefined;
    if (!editing || !row || !column) return;
    const data = new FormData(form);
    const text = String(data.get("value") ?? "").trim();
    const value = text === "" ? null : Number(text);
    const cell = row.cells[editing.criterion - 1] as MatrixCell;
    this.editing = null;
    void this.save(row, [
      {
        accountId: row.account.id,
        criterionKey: column.criterion.key,
        value: value === null || Number.isNaN(value) ? null : value,
        evidence: String(data.get("evidence") ?? "").trim() || cell.evidence,
        evidenceUrl: String(data.get("link") ?? "").trim() || cell.evidenceUrl,
        version: cell.version,
      },
    ]);
    void this.updateComplete.then(() => this.gridElement()?.focus());
  }

  /** Shows the change at once, saves it all or nothing, and takes it back when refused. */
  private async save(row: MatrixRow, scores: ScoreInput[]): Promise<void> {
    const columns = this.page?.columns ?? [];
    const before = row.cells.map((cell) => ({ ...cell }));
    const shown = { ...row, cells: row.cells.map((cell) => ({ ...cell })) };
    for (const score of scores) {
      const index = columns.findIndex((column) => column.criterion.key === score.criterionKey);
      const cell = shown.cells[index];
      if (!cell) continue;
      this.pending.set(this.cellKey(row, score.criterionKey), before[index] as MatrixCell);
      cell.value = score.value;
    }
    this.replaceRow(row, shown);
    this.notice = null;
    try {
      const result = await this.kam.request(setScoresMutation, { input: { scores } });
      const answer = result.setScores;
      if (answer.__typename !== "MutationSetScoresSuccess") {
        const failure = answer as Exclude<typeof answer, { __typename: "MutationSetScoresSuccess" }>;
        throw new KamRequestError(failure.code, this.refusal(failure, scores));
      }
      for (const score of scores) {
        this.emit("kam-score-change", {
          accountId: row.account.id,
          accountName: row.accountName,
          criterionKey: score.criterionKey,
          value: score.value,
        });
      }
      for (const key of scores.map((score) => score.criterionKey)) this.drafts.delete(this.cellKey(row, key));
      this.notice = { text: msg(str`Saved: ${row.accountName}.`, { id: "matrix.saved" }), failed: false };
    } catch (error) {
      this.replaceRow(shown, { ...row, cells: before });
      const failure =
        error instanceof KamRequestError ? error : new KamRequestError("SERVER_ERROR", String(error));
      this.notice = { text: msg(str`Not saved: ${failure.message}`, { id: "matrix.refused" }), failed: true };
      this.emit("kam-error", { code: failure.code, message: failure.message });
    } finally {
      for (const score of scores) this.pending.delete(this.cellKey(row, score.criterionKey));
    }
    // Ranks move with the change: read the pages in view again.
    this.refresh();
  }

  /** The server's reason in the reader's terms, naming the entry of a batch that failed. */
  private refusal(
    answer: {
      __typename: string;
      code: string;
      message: string;
      issues?: { path: string; message: string }[];
      path?: string | null;
    },
    scores: ScoreInput[],
  ): string {
    // The entry of the batch that failed, by its criterion's label (`input.scores.<n>.…`).
    const entry = (path: string | null | undefined, text: string) => {
      const index = Number(path?.split(".")[2]);
      const label = this.page?.columns.find((column) => column.criterion.key === scores[index]?.criterionKey)
        ?.criterion.label;
      return label && scores.length > 1 ? `${label}: ${text}` : text;
    };
    if (answer.__typename === "VersionConflictError") {
      return entry(
        answer.path,
        msg("someone changed this score meanwhile; the matrix shows it now.", { id: "matrix.conflict" }),
      );
    }
    if (answer.__typename === "ForbiddenError")
      return msg("you may not change this account.", { id: "matrix.forbidden" });
    if (answer.__typename === "AccountArchivedError")
      return msg("the account is archived.", { id: "matrix.archived" });
    const issue = answer.issues?.[0];
    if (issue) return entry(issue.path, issue.message);
    return answer.message;
  }

  private replaceRow(old: MatrixRow, next: MatrixRow): void {
    this.rows = this.rows.map((row) => (row === old ? next : row));
  }

  // ——— explanation ———

  private async explain(row: MatrixRow): Promise<void> {
    this.explaining = { row, data: null, error: null };
    try {
      const result = await this.kam.request(explanationQuery, {
        id: row.account.id,
        criteriaSetId: this.page?.criteriaSet.id ?? null,
        asOf: this.asOf || null,
      });
      if (this.explaining?.row !== row) return;
      this.explaining = { row, data: result.account.score ?? null, error: null };
    } catch (error) {
      if (this.explaining?.row === row)
        this.explaining = { row, data: null, error: String((error as Error).message) };
    }
  }

  /** Pre-fills the suggested lift as drafts of the row, to check and save together. */
  private applyLift(row: MatrixRow, lift: Explanation["explanation"]["liftToKey"]): void {
    for (const step of lift) this.drafts.set(this.cellKey(row, step.criterion.key), step.to);
    this.requestUpdate();
  }

  private saveDrafts(row: MatrixRow): void {
    const columns = this.page?.columns ?? [];
    const scores = columns.flatMap((column, index) => {
      const draft = this.drafts.get(this.cellKey(row, column.criterion.key));
      const cell = row.cells[index];
      return draft === undefined || !cell
        ? []
        : [
            {
              accountId: row.account.id,
              criterionKey: column.criterion.key,
              value: draft,
              version: cell.version,
            },
          ];
    });
    if (scores.length) void this.save(row, scores);
    this.explaining = null;
  }

  // ——— keyboard ———

  private gridElement(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(".matrix");
  }

  private moveTo(row: number, column: number): void {
    const last = this.rows.length - 1;
    const target = {
      row: Math.max(0, Math.min(last, row)),
      column: Math.max(0, Math.min(this.columnCount - 1, column)),
    };
    this.active = target;
    this.ensureRows(target.row, target.row);
    const grid = this.gridElement();
    const rows = grid?.querySelector<HTMLElement>(".rows");
    if (grid && rows) scrollToRow(grid, rows, target.row, target.row + 2);
  }

  private onKey(event: KeyboardEvent): void {
    if (this.editing) return;
    const { row, column } = this.active;
    const ctrl = event.ctrlKey || event.metaKey;
    const moves: Record<string, [number, number]> = {
      ArrowDown: [row + 1, column],
      ArrowUp: [row - 1, column],
      ArrowRight: [row, column + 1],
      ArrowLeft: [row, column - 1],
      PageDown: [row + 10, column],
      PageUp: [row - 10, column],
      Home: ctrl ? [0, column] : [row, 0],
      End: ctrl ? [this.rows.length - 1, column] : [row, this.columnCount - 1],
    };
    const move = moves[event.key];
    const account = this.rows[row];
    if (move) {
      event.preventDefault();
      this.moveTo(move[0], move[1]);
    } else if (event.key === "Enter" && account) {
      event.preventDefault();
      if (this.criterionAt(column)) this.startEdit(row, column);
      else void this.explain(account);
    } else if (/^[0-9]$/.test(event.key) && this.criterionAt(column) && !ctrl) {
      event.preventDefault();
      this.startEdit(row, column, event.key);
    } else if (event.key === "Escape" && this.explaining) {
      event.preventDefault();
      this.explaining = null;
    }
  }

  private sortBy(field: MatrixOrderField, criterionKey?: string): void {
    const same = this.order.field === field && this.order.criterionKey === criterionKey;
    const direction =
      same && this.order.direction === "DESC" ? "ASC" : same ? "DESC" : field === "NAME" ? "ASC" : "DESC";
    this.order = { field, direction, ...(criterionKey ? { criterionKey } : {}) };
    this.refresh();
  }

  // ——— export ———

  /** The rows loaded, as CSV with numbers in the reader's locale. */
  exportCsv(): string {
    const columns = this.page?.columns ?? [];
    const decimalComma = formatNumber(1.5).includes(",");
    const separator = decimalComma ? ";" : ",";
    const quote = (value: string) =>
      value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    const totals = this.totals;
    const labels = this.totalLabels();
    const header = [
      msg("Account", { id: "matrix.account" }),
      ...columns.map((column) => column.criterion.label),
      ...totals.map((total) => labels[total]),
    ];
    const lines = this.rows.flatMap((row) => {
      if (!row) return [];
      const text = this.totalValues(row);
      return [
        [
          row.accountName,
          ...row.cells.map((cell) => (cell.value === null ? "" : String(cell.value))),
          ...totals.map((total) => (text[total] === "–" ? "" : text[total])),
        ],
      ];
    });
    return [header, ...lines].map((line) => line.map(quote).join(separator)).join("\r\n");
  }

  private download(): void {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(
      new Blob([`\ufeff${this.exportCsv()}`], { type: "text/csv;charset=utf-8" }),
    );
    link.download = `kam-score-matrix-${getLocale()}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
  }

  // ——— rendering ———

  private verdict(row: MatrixRow): { text: string; kind: string } {
    if (row.isKeyAccount && row.wouldBeKey)
      return { text: msg("key", { id: "matrix.verdict.key" }), kind: "key" };
    if (row.wouldBeKey)
      return { text: msg("would become key", { id: "matrix.verdict.become" }), kind: "key" };
    if (row.isKeyAccount) return { text: msg("would drop", { id: "matrix.verdict.drop" }), kind: "drop" };
    return { text: msg("not key", { id: "matrix.verdict.none" }), kind: "none" };
  }

  private rule(set: CriteriaSetSummary): string {
    const completeness = formatShare(set.minCompleteness);
    if (set.keyAccountRule === "TOP_N") {
      const count = String(set.keyAccountCount ?? 0);
      return msg(str`Key accounts: the best ${count}, scored on at least ${completeness} of the weight.`, {
        id: "matrix.rule.top",
      });
    }
    const threshold = formatNumber(set.keyAccountThreshold ?? 0);
    return msg(
      str`Key accounts: score ${threshold} or more, scored on at least ${completeness} of the weight.`,
      {
        id: "matrix.rule.threshold",
      },
    );
  }

  private totalLabels(): Record<Total, string> {
    return {
      score: msg("Score", { id: "matrix.score" }),
      rank: msg("Rank", { id: "matrix.rank" }),
      compared: msg(str`Rank in ${this.comparedSet()?.name ?? ""}`, { id: "matrix.compared" }),
      percentile: msg("Percentile", { id: "matrix.percentile" }),
      completeness: msg("Completeness", { id: "matrix.completeness" }),
      trend: msg("Trend", { id: "matrix.trend" }),
      verdict: msg("Verdict", { id: "matrix.verdict" }),
    };
  }

  /** Each totals column's text for a row, as shown and exported. */
  private totalValues(row: MatrixRow): Record<Total, string> {
    const compared = row.account.compared;
    return {
      score: row.score === null ? "–" : formatNumber(row.score),
      rank: row.rank === null ? "–" : formatInteger(row.rank),
      compared: compared?.rank == null ? "–" : formatInteger(compared.rank),
      percentile: row.percentile === null ? "–" : formatNumber(row.percentile),
      completeness: formatShare(row.completeness),
      trend: row.trend === null ? "–" : `${row.trend > 0 ? "+" : ""}${formatNumber(row.trend)}`,
      verdict: this.verdict(row).text,
    };
  }

  private choose(name: keyof Choices, value: string): void {
    this.choices = { ...this.choices, [name]: value };
    this.refresh();
  }

  /** The filters of the header: classes, status, owner, key-account flag. */
  private renderFilters() {
    const any = msg("Any", { id: "matrix.filter.any" });
    const status = enumLabels().status;
    const select = (name: keyof Choices, label: string, options: [string, string][]) => html`<label>
      ${label}
      <select data-filter=${name} @change=${(event: Event) => this.choose(name, (event.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!this.choices[name]}>${any}</option>
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${this.choices[name] === value}>${text}</option>`)}
      </select>
    </label>`;
    return html`<fieldset class="filters">
      <legend class="visually-hidden">${msg("Filters", { id: "matrix.filters" })}</legend>
      ${select(
        "abc",
        msg("ABC class", { id: "matrix.filter.abc" }),
        ["A", "B", "C"].map((value) => [value, value]),
      )}
      ${select(
        "xyz",
        msg("XYZ class", { id: "matrix.filter.xyz" }),
        ["X", "Y", "Z"].map((value) => [value, value]),
      )}
      ${select("status", msg("Status", { id: "matrix.filter.status" }), Object.entries(status))}
      ${
        this.owners.length
          ? select(
              "ownerId",
              msg("Owner", { id: "matrix.filter.owner" }),
              this.owners.map((owner) => [owner.id, owner.name]),
            )
          : nothing
      }
      ${select("key", msg("Key accounts", { id: "matrix.filter.key" }), [
        ["true", msg("Key only", { id: "matrix.filter.key.yes" })],
        ["false", msg("Not key", { id: "matrix.filter.key.no" })],
      ])}
    </fieldset>`;
  }

  protected override render() {
    // The outcome of a save stays in view whatever the reload after it shows (an archived
    // account's refusal empties a matrix filtered to it).
    return html`${this.renderState(() => this.renderMatrix())}
      ${this.notice ? html`<p class=${this.notice.failed ? "error" : "muted"} role="status" data-notice>${this.notice.text}</p>` : nothing}`;
  }

  private renderMatrix() {
    const page = this.page;
    if (!page) return nothing;
    const columns = page.columns;
    const totals = this.totals;
    const template = `minmax(10em, 2fr) repeat(${columns.length}, minmax(3.5em, 1fr)) repeat(${totals.length}, minmax(5em, 1fr))`;
    const labels = this.totalLabels();
    const sorted = (field: MatrixOrderField, key?: string) =>
      this.order.field === field && this.order.criterionKey === key
        ? this.order.direction === "ASC"
          ? "ascending"
          : "descending"
        : "none";
    // Only a rendered cell can be the active descendant: an active row scrolled out of the
    // virtualizer's range stays in the DOM, out of sight, so that assistive technology keeps it.
    const inRange = this.active.row >= this.visible.first && this.active.row <= this.visible.last;
    const pinned = !inRange && this.visible.first >= 0 && Boolean(this.rows[this.active.row]);
    const activeId =
      (inRange || pinned) && this.rows[this.active.row]
        ? `c-${this.active.row}-${this.active.column}`
        : nothing;
    return html`
      <header part="header">
        <h2 id="title">${msg("Score matrix", { id: "matrix.title" })}</h2>
        <label>
          ${msg("Criteria set", { id: "matrix.set" })}
          <select
            @change=${(event: Event) => {
              this.chosenSet = (event.target as HTMLSelectElement).value;
              this.refresh();
            }}
          >
            ${this.sets.map(
              (set) =>
                html`<option value=${set.id} ?selected=${set.id === page.criteriaSet.id}>${set.name}</option>`,
            )}
          </select>
        </label>
        <label>
          ${msg("Compare with", { id: "matrix.compare" })}
          <select
            data-compare
            @change=${(event: Event) => {
              this.compareSet = (event.target as HTMLSelectElement).value || null;
              this.refresh();
            }}
          >
            <option value="" ?selected=${!this.comparedSet()}>${msg("No other set", { id: "matrix.compare.none" })}</option>
            ${this.sets
              .filter((set) => set.id !== page.criteriaSet.id)
              .map(
                (set) =>
                  html`<option value=${set.id} ?selected=${set.id === this.compareSet}>${set.name}</option>`,
              )}
          </select>
        </label>
        <label>
          ${msg("Find an account", { id: "matrix.search" })}
          <input
            type="search"
            .value=${this.search}
            @change=${(event: Event) => {
              this.search = (event.target as HTMLInputElement).value;
              this.refresh();
            }}
          />
        </label>
        <button type="button" part="button" @click=${() => this.download()}>
          ${msg("Export CSV", { id: "matrix.export" })}
        </button>
        ${this.renderFilters()}
        <p class="muted" data-rule>${this.rule(page.criteriaSet)}</p>
        ${this.asOf ? html`<p class="muted">${msg(str`As of ${this.asOf}: read-only.`, { id: "matrix.as-of" })}</p>` : nothing}
      </header>
      <div
        class="matrix"
        part="matrix"
        role="grid"
        tabindex="0"
        aria-labelledby="title"
        aria-rowcount=${page.totalCount + 1}
        aria-colcount=${this.columnCount}
        aria-activedescendant=${activeId}
        style=${`--columns: ${template}`}
        @keydown=${this.onKey}
      >
        <div role="row" class="row head" aria-rowindex="1">
          <span role="columnheader" class="cell" aria-colindex="1" aria-sort=${sorted("NAME")}>
            <button type="button" tabindex="-1" @click=${() => this.sortBy("NAME")}>${msg("Account", { id: "matrix.account" })}</button>
          </span>
          ${columns.map(
            (column, index) => html`<span
              role="columnheader"
              class="cell num"
              aria-colindex=${index + 2}
              aria-sort=${sorted("CRITERION", column.criterion.key)}
              title=${[
                `${column.criterion.label} · ${msg(str`weight ${formatNumber(column.weight)} (${formatShare(column.weightShare)})`, { id: "matrix.weight" })}`,
                ...column.criterion.rubric.map((band) => `${band.from}-${band.to}: ${band.text}`),
              ].join("\n")}
            >
              <button type="button" tabindex="-1" @click=${() => this.sortBy("CRITERION", column.criterion.key)}>
                ${column.criterion.label}<br /><small>${formatShare(column.weightShare)}</small>
              </button>
            </span>`,
          )}
          ${totals.map((total, index) => {
            const field = orderOf[total];
            return html`<span
              role="columnheader"
              class="cell num"
              aria-colindex=${columns.length + index + 2}
              aria-sort=${field && total !== "rank" && total !== "percentile" ? sorted(field) : "none"}
            >
              ${field ? html`<button type="button" tabindex="-1" @click=${() => this.sortBy(field)}>${labels[total]}</button>` : labels[total]}
            </span>`;
          })}
        </div>
        <div
          role="rowgroup"
          class="rows"
          @rangeChanged=${(event: Event & { first: number; last: number }) => {
            const wasRendered = this.active.row >= this.visible.first && this.active.row <= this.visible.last;
            this.visible = { first: event.first, last: event.last };
            const isRendered = this.active.row >= event.first && this.active.row <= event.last;
            if (wasRendered !== isRendered) this.requestUpdate();
            this.ensureRows(event.first, event.last + this.size / 2);
            this.watchLive();
          }}
        >
          ${virtualize({
            items: Array.from({ length: this.rows.length }, (_, index) => index),
            keyFunction: (index: number) => this.rows[index]?.account.id ?? `row-${index}`,
            renderItem: (index: number) => this.renderRow(index),
          })}
        </div>
        ${pinned ? html`<div role="rowgroup" class="visually-hidden">${this.renderRow(this.active.row)}</div>` : nothing}
      </div>
      ${this.editing ? this.renderEditor(this.editing) : nothing}
      ${this.explaining ? this.renderExplanation() : nothing}
    `;
  }

  private renderRow(index: number) {
    const row = this.rows[index];
    const aria = index + 2;
    if (!row) {
      return html`<div role="row" part="row" class="row" aria-rowindex=${aria}>
        <span role="gridcell" class="cell muted" id=${`c-${index}-0`}>${msg("Loading…", { id: "state.loading" })}</span>
      </div>`;
    }
    const columns = this.page?.columns ?? [];
    const activeRow = this.active.row === index;
    const cls = (column: number, extra = "") =>
      `cell ${extra} ${activeRow && this.active.column === column ? "active" : ""}`;
    const verdict = this.verdict(row);
    const totals = this.totals;
    const text = this.totalValues(row);
    return html`<div
      role="row"
      part="row"
      class=${`row ${this.flashing.has(row.account.id) ? "flash" : ""}`}
      aria-rowindex=${aria}
      data-account=${row.account.id}
    >
      <span
        role="rowheader"
        class=${cls(0)}
        id=${`c-${index}-0`}
        @click=${() => {
          this.active = { row: index, column: 0 };
          this.emit("kam-account-select", { accountId: row.account.id, name: row.accountName });
          void this.explain(row);
        }}
        >${row.accountName}</span
      >
      ${row.cells.map((cell, position) => {
        const column = columns[position];
        const key = column ? this.cellKey(row, column.criterion.key) : "";
        const draft = this.drafts.get(key);
        const shown = draft ?? cell.value;
        const label = column
          ? `${row.accountName}, ${column.criterion.label}: ${
              shown === null ? msg("not scored", { id: "matrix.unscored" }) : shown
            }${cell.evidence ? `. ${cell.evidence}` : ""}`
          : "";
        return html`<span
          role="gridcell"
          class=${cls(position + 1, `score ${shown === null ? "unscored" : ""} ${this.pending.has(key) ? "pending" : ""} ${draft !== undefined ? "draft" : ""}`)}
          id=${`c-${index}-${position + 1}`}
          style=${`--level: ${shown === null ? 0 : (shown - 1) * 11}`}
          aria-label=${label}
          aria-readonly=${this.canEdit(row) ? "false" : "true"}
          title=${cell.evidence ?? ""}
          data-criterion=${column?.criterion.key ?? ""}
          @click=${() => {
            this.active = { row: index, column: position + 1 };
          }}
          @dblclick=${() => this.startEdit(index, position + 1)}
          >${shown === null ? "–" : shown}</span
        >`;
      })}
      ${totals.map(
        (total, position) =>
          html`<span
            role="gridcell"
            class=${cls(columns.length + 1 + position, `num ${total === "verdict" ? `verdict-${verdict.kind}` : ""}`)}
            id=${`c-${index}-${columns.length + 1 + position}`}
            data-total=${total}
            >${text[total]}</span
          >`,
      )}
    </div>`;
  }

  private renderEditor(editing: Editing) {
    const row = this.rows[editing.row];
    const column = this.criterionAt(editing.criterion);
    if (!row || !column) return nothing;
    const cell = row.cells[editing.criterion - 1];
    return html`<form
      class="panel"
      part="panel"
      aria-label=${msg(str`Score ${row.accountName} on ${column.criterion.label}`, { id: "matrix.edit.title" })}
      @submit=${(event: Event) => {
        event.preventDefault();
        this.saveEdit(event.target as HTMLFormElement);
      }}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === "Escape") {
          event.preventDefault();
          this.cancelEdit();
        }
      }}
    >
      <h3>${row.accountName} · ${column.criterion.label}</h3>
      <label>
        ${msg("Score 1-10 (empty withdraws it)", { id: "matrix.edit.value" })}
        <input id="edit-value" name="value" type="number" min="1" max="10" step="1" .value=${editing.draft} />
      </label>
      <label>
        ${msg("Evidence", { id: "matrix.edit.evidence" })}
        <input name="evidence" maxlength="2000" .value=${cell?.evidence ?? ""} />
      </label>
      <label>
        ${msg("Link to the evidence", { id: "matrix.edit.link" })}
        <input name="link" type="url" .value=${cell?.evidenceUrl ?? ""} />
      </label>
      <div class="actions">
        <button type="submit" part="button">${msg("Save", { id: "matrix.edit.save" })}</button>
        <button type="button" part="button" @click=${() => this.cancelEdit()}>${msg("Cancel", { id: "matrix.edit.cancel" })}</button>
      </div>
    </form>`;
  }

  private renderExplanation() {
    const explaining = this.explaining;
    if (!explaining) return nothing;
    const { row, data, error } = explaining;
    const body = error
      ? html`<p class="error">${error}</p>`
      : !data
        ? html`<p class="muted">${msg("Loading…", { id: "state.loading" })}</p>`
        : html`
            <p>${msg("What each criterion brings:", { id: "matrix.why.contributions" })}</p>
            <ul data-contributions>
              ${data.explanation.contributions.map(
                (part) =>
                  html`<li>${part.criterion.label}: ${part.points === null ? msg("not scored", { id: "matrix.unscored" }) : formatNumber(part.points)}</li>`,
              )}
            </ul>
            ${
              data.explanation.liftToKey.length
                ? html`<p>${msg("To become key:", { id: "matrix.why.lift" })}</p>
                    <ul data-lift>
                      ${data.explanation.liftToKey.map(
                        (step) => html`<li>${step.criterion.label}: ${step.from} → ${step.to}</li>`,
                      )}
                    </ul>
                    ${
                      this.canEdit(row)
                        ? html`<div class="actions">
                            <button type="button" part="button" @click=${() => this.applyLift(row, data.explanation.liftToKey)}>
                              ${msg("Fill in these scores", { id: "matrix.why.apply" })}
                            </button>
                            <button type="button" part="button" @click=${() => this.saveDrafts(row)}>
                              ${msg("Save the row", { id: "matrix.why.save" })}
                            </button>
                          </div>`
                        : nothing
                    }`
                : html`<p>${
                    data.explanation.wouldBeKey
                      ? msg("The rule makes this account key.", { id: "matrix.why.key" })
                      : data.explanation.blockedBecause === "LOST"
                        ? msg("Lost accounts are never key.", { id: "matrix.why.lost" })
                        : msg("Nothing to suggest yet.", { id: "matrix.why.none" })
                  }</p>`
            }
            ${
              data.explanation.heldBackBy.length
                ? html`<p>${msg("Held back by:", { id: "matrix.why.held" })} ${data.explanation.heldBackBy
                    .map((entry) => entry.criterion.label)
                    .join(", ")}</p>`
                : nothing
            }
            ${
              data.explanation.missingForCompleteness.length
                ? html`<p>${msg("Still to score:", { id: "matrix.why.missing" })} ${data.explanation.missingForCompleteness
                    .map((criterion) => criterion.label)
                    .join(", ")}</p>`
                : nothing
            }
          `;
    return html`<section class="panel" part="panel" aria-labelledby="why-title" data-explanation>
      <h3 id="why-title">${msg(str`Why ${row.accountName} scores ${row.score === null ? "–" : formatNumber(row.score)}`, { id: "matrix.why.title" })}</h3>
      ${body}
      <div class="actions">
        <button type="button" part="button" @click=${() => {
          this.explaining = null;
          this.gridElement()?.focus();
        }}>${msg("Close", { id: "matrix.why.close" })}</button>
      </div>
    </section>`;
  }
}

defineElement("kam-score-matrix", KamScoreMatrix);

declare global {
  interface HTMLElementTagNameMap {
    "kam-score-matrix": KamScoreMatrix;
  }
}
