/**
 * `npm run kam -- import-sales <file.csv>`: streams a CSV export of invoice lines of any size into
 * the sales ledger in batches, in constant memory. Each batch is one `importSalesLines` call (one
 * transaction, idempotent by external_line_id), so an interrupted import can simply be run again.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, rm, stat } from "node:fs/promises";
import path from "node:path";
import cliProgress from "cli-progress";
import { type CsvError, type Options, parse } from "csv-parse";
import type { Principal } from "./auth/principal.ts";
import type { Database } from "./db/index.ts";
import { ForbiddenError, KamError, SalesImportRejectedError, ValidationError } from "./errors.ts";
import { decodeGlobalId, encodeGlobalId } from "./global-id.ts";
import type { ServiceContext } from "./services/context.ts";
import { importSalesLines, maxLinesPerImport, type SalesLineInput } from "./services/sales-ledger.ts";

/** The file's columns, by the field of SalesLineInput they fill. */
const columnOf = {
  externalLineId: "external_line_id",
  accountId: "account_id",
  externalAccountId: "external_account_id",
  invoiceDate: "invoice_date",
  product: "product",
  quantity: "quantity",
  netAmount: "net_amount",
  grossMargin: "gross_margin",
  currency: "currency",
} as const;
type Field = keyof typeof columnOf;

export const salesFileColumns = Object.values(columnOf);
const requiredFields: Field[] = [
  "externalLineId",
  "invoiceDate",
  "product",
  "quantity",
  "netAmount",
  "grossMargin",
  "currency",
];

/** A row longer than this is almost always a quote that is never closed; reading stops there. */
export const maxRowCharacters = 65_536;

export interface SalesFileImportOptions {
  /** Lines per importSalesLines call (one transaction each), 1-5000. */
  batchSize?: number;
  /** Show a progress bar on stderr (the CLI turns it on when stderr is a terminal). */
  progress?: boolean;
}

export interface SalesFileImportResult {
  file: string;
  /** Data rows read (header and empty lines not counted), rejected ones included. */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not imported; each is in the report with its line number and why. */
  rejected: number;
  /** Successful importSalesLines calls, i.e. committed transactions. */
  batches: number;
  elapsedMs: number;
  linesPerSecond: number;
  /** `<file>.rejected.csv`, or null when nothing was rejected (a stale one is removed). */
  reportPath: string | null;
  /** Set when the file could not be read to its end (a quote that is never closed). */
  stoppedAt: { line: number; reason: string } | null;
}

/** The import stopped part-way (database error, …); batches before `atLine` are committed. */
export class SalesFileImportInterruptedError extends Error {
  constructor(
    readonly result: SalesFileImportResult,
    readonly atLine: number,
    cause: unknown,
  ) {
    super(
      `the import stopped at the batch starting on line ${atLine}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        `Lines before ${atLine} are imported; running the same file again is safe and carries on.`,
      { cause },
    );
    this.name = "SalesFileImportInterruptedError";
  }
}

/**
 * The principal operator commands act as: the first active admin, so that audit entries name a
 * person. Importing needs an admin (or an API key with the import scope), hence no `null` actor.
 */
export async function findImportPrincipal(db: Database): Promise<Principal> {
  const admin = await db.prisma.user.findFirst({
    where: { role: "ADMIN", deactivatedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  if (!admin) {
    throw new ForbiddenError(
      "importing sales needs an active admin to record the import under, and there is none; create one with `npm run kam -- user create --email … --role admin`.",
    );
  }
  return { kind: "user", user: admin };
}

/** "1234,50" → "1234.50"; anything else unchanged, for the service to validate. */
export function decimalText(value: string): string {
  const text = value.trim();
  return /^[+-]?\d*,\d+$/.test(text) ? text.replace(",", ".") : text;
}

/** The header's delimiter: `;` when it has more semicolons than commas, else `,`. */
async function detectDelimiter(file: string): Promise<"," | ";"> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const header =
      buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .split(/\r?\n|\r/, 1)[0] ?? "";
    const count = (char: string) => header.split(char).length - 1;
    return count(";") > count(",") ? ";" : ",";
  } finally {
    await handle.close();
  }
}

/** Field names of the service's messages, as the file's columns: "netAmount must …" → "net_amount must …". */
function inColumnTerms(message: string): string {
  return message.replace(
    /\b(externalLineId|accountId|externalAccountId|invoiceDate|netAmount|grossMargin)\b/g,
    (field) => columnOf[field as Field],
  );
}

/** An account's ID as the API shows it (a global ID), or as stored: both name the account. */
function accountIdOf(value: string): string {
  return decodeGlobalId(value)?.typename === "Account" ? value : encodeGlobalId("Account", value);
}

function csvField(value: string | number, delimiter: string): string {
  const text = String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

interface ParsedRow {
  fields: string[];
  /** File line the row starts on (1 = header). */
  line: number;
  /** Bytes of the file parsed so far. */
  bytes: number;
}

interface Rejection {
  line: number;
  externalLineId: string | null;
  reason: string;
}

interface PendingLine {
  line: number;
  externalLineId: string;
  input: SalesLineInput;
}

/**
 * Imports a sales CSV file (see README "Importing sales" for the layout). Rows are read as a
 * stream and sent in batches of `batchSize`; the next rows are only read once a batch is
 * committed. A rejected batch is retried without its bad rows, which go to `<file>.rejected.csv`.
 */
export async function importSalesFile(
  context: ServiceContext,
  file: string,
  options: SalesFileImportOptions = {},
): Promise<SalesFileImportResult> {
  const batchSize = options.batchSize ?? maxLinesPerImport;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxLinesPerImport) {
    throw new ValidationError([
      { path: "batchSize", message: `must be a whole number from 1 to ${maxLinesPerImport}` },
    ]);
  }
  const fileName = path.basename(file);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ValidationError([{ path: fileName, message: "is not a file" }]);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ValidationError([{ path: file, message: "no such file" }]);
    }
    throw error;
  }
  if (size === 0) throw new ValidationError([{ path: fileName, message: "the file is empty" }]);

  const started = performance.now();
  const delimiter = await detectDelimiter(file);
  const reportPath = `${file}.rejected.csv`;
  await rm(reportPath, { force: true });

  const result: SalesFileImportResult = {
    file,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    batches: 0,
    elapsedMs: 0,
    linesPerSecond: 0,
    reportPath: null,
    stoppedAt: null,
  };

  const finish = () => {
    result.elapsedMs = performance.now() - started;
    result.linesPerSecond = Math.round(result.rows / Math.max(result.elapsedMs / 1000, 0.001));
    return result;
  };

  // The report is written batch by batch, in line order, so it costs no memory however long it gets.
  let report: WriteStream | null = null;
  const writeReport = async ({ line, externalLineId, reason }: Rejection) => {
    if (!report) {
      report = createWriteStream(reportPath);
      result.reportPath = reportPath;
      report.write(`line${delimiter}external_line_id${delimiter}reason\n`);
    }
    const row = [line, externalLineId ?? "", reason].map((value) => csvField(value, delimiter));
    if (!report.write(`${row.join(delimiter)}\n`)) await once(report, "drain");
  };

  const input = createReadStream(file);
  // csv-parse counts a CRLF inside a quoted field as two lines; `extraLines` undoes that.
  let extraLines = 0;
  let lastParsedLine = 1;
  let fatal: { from: number; error: CsvError } | null = null;
  const parserOptions: Options<ParsedRow, string[]> = {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRowCharacters,
    // With the options above only an unclosed quote or an over-long row get here. csv-parse cannot
    // carry on reliably after either, so reading stops; the rows parsed so far are still imported
    // (letting the stream fail instead would drop the rows it has buffered).
    skip_records_with_error: true,
    on_skip: (error) => {
      if (fatal || !error) return;
      fatal = { from: lastParsedLine + 1, error };
      setImmediate(() => {
        input.unpipe(parser);
        input.destroy();
        if (!parser.writableEnded) parser.end();
      });
    },
    on_record: (fields: string[], context): ParsedRow | null => {
      if (fatal) return null;
      let breaks = 0;
      for (const field of fields) {
        if (!field.includes("\n") && !field.includes("\r")) continue;
        breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
        extraLines += field.match(/\r\n/g)?.length ?? 0;
      }
      lastParsedLine = context.lines - extraLines;
      return { fields, line: lastParsedLine - breaks, bytes: context.bytes };
    },
  };
  // The typings only let on_record return the record type; it may return anything.
  const parser = parse(parserOptions as unknown as Options);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: `${fileName} [{bar}] {percentage}% | {rows} rows | {rate} lines/s | ETA {eta_formatted}`,
          stream: process.stderr,
          barsize: 30,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const updateBar = (bytes: number) =>
    bar?.update(bytes, {
      rows: result.rows,
      rate: Math.round(result.rows / Math.max((performance.now() - started) / 1000, 0.001)),
    });
  bar?.start(size, 0, { rows: 0, rate: 0 });

  let batch: PendingLine[] = [];
  let batchIds = new Set<string>();
  /** This batch's rejected rows, written once the batch is done so that the report is in line order. */
  let rejections: Rejection[] = [];

  /** Imports the batch; a rejected one is sent again without its bad rows, which go to the report. */
  const flush = async () => {
    let lines = batch;
    batch = [];
    batchIds = new Set();
    while (lines.length) {
      try {
        const summary = await importSalesLines(
          context,
          lines.map((line) => line.input),
        );
        result.created += summary.created;
        result.updated += summary.updated;
        result.unchanged += summary.unchanged;
        result.batches += 1;
        break;
      } catch (error) {
        if (!(error instanceof SalesImportRejectedError)) {
          if (error instanceof KamError) throw error;
          throw new SalesFileImportInterruptedError(finish(), lines[0]?.line ?? 0, error);
        }
        const bad = new Set<number>();
        for (const problem of error.problems) {
          const line = lines[problem.index];
          if (!line) continue;
          bad.add(problem.index);
          rejections.push({
            line: line.line,
            externalLineId: problem.externalLineId ?? line.externalLineId,
            reason: inColumnTerms(problem.message),
          });
        }
        if (bad.size === 0) throw error;
        result.rejected += bad.size;
        lines = lines.filter((_, index) => !bad.has(index));
      }
    }
    const done = rejections.sort((a, b) => a.line - b.line);
    rejections = [];
    for (const rejection of done) await writeReport(rejection);
  };

  let header: Map<Field, number> | null = null;
  let width = 0;
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      if (!header) {
        header = readHeader(row.fields, fileName);
        width = row.fields.length;
        continue;
      }
      // A row of empty cells (spreadsheets leave them at the end) counts as an empty line.
      if (row.fields.every((field) => field.trim() === "")) continue;
      result.rows += 1;
      const value = (field: Field) => {
        const index = header?.get(field);
        return index === undefined ? "" : (row.fields[index] ?? "").trim();
      };
      const externalLineId = value("externalLineId");
      if (row.fields.length !== width) {
        result.rejected += 1;
        rejections.push({
          line: row.line,
          externalLineId: externalLineId || null,
          reason: `expected ${width} columns like the header, found ${row.fields.length}`,
        });
      } else {
        // The service refuses an ID twice in one call. Sending the batch first makes the later row
        // update the earlier one, as it would in a later batch: the outcome never depends on batch size.
        if (batchIds.has(externalLineId)) await flush();
        const accountId = value("accountId");
        batch.push({
          line: row.line,
          externalLineId,
          input: {
            externalLineId,
            accountId: accountId ? accountIdOf(accountId) : null,
            accountLabel: accountId || null,
            externalAccountId: value("externalAccountId") || null,
            invoiceDate: value("invoiceDate"),
            product: value("product"),
            quantity: decimalText(value("quantity")),
            netAmount: decimalText(value("netAmount")),
            grossMargin: decimalText(value("grossMargin")),
            currency: value("currency"),
          },
        });
        if (externalLineId) batchIds.add(externalLineId);
      }
      if (batch.length + rejections.length >= batchSize) {
        await flush();
        updateBar(row.bytes);
      } else if (result.rows % 1000 === 0) updateBar(row.bytes);
    }
    if (!header) throw new ValidationError([{ path: fileName, message: "the file has no header row" }]);
    await flush();

    const stopped = fatal as { from: number; error: CsvError } | null;
    if (stopped) {
      const { from, error } = stopped;
      const reason =
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? `a quote opened on line ${from} or after is never closed, so nothing from line ${from} to the end of the file was read`
          : error.code === "CSV_MAX_RECORD_SIZE"
            ? `a row starting on line ${from} or after is longer than ${maxRowCharacters} characters (most likely a quote that is never closed), so nothing from there on was read`
            : `nothing from line ${from} on was read: ${error.message}`;
      result.stoppedAt = { line: from, reason };
      result.rejected += 1;
      await writeReport({ line: from, externalLineId: null, reason });
    }
    updateBar(size);
    return finish();
  } finally {
    bar?.stop();
    input.destroy();
    const open = report as WriteStream | null;
    if (open) {
      open.end();
      await once(open, "close");
    }
  }
}

function readHeader(fields: string[], fileName: string): Map<Field, number> {
  const names = fields.map((field) => field.trim().toLowerCase());
  const header = new Map<Field, number>();
  const issues: string[] = [];
  for (const [field, column] of Object.entries(columnOf) as [Field, string][]) {
    const index = names.indexOf(column);
    if (index === -1) continue;
    if (names.indexOf(column, index + 1) !== -1) issues.push(`column ${column} appears twice`);
    header.set(field, index);
  }
  const missing = requiredFields.filter((field) => !header.has(field)).map((field) => columnOf[field]);
  if (missing.length) issues.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (!header.has("accountId") && !header.has("externalAccountId")) {
    issues.push("needs a column account_id (KAM's account ID) or external_account_id (the ERP's)");
  }
  if (issues.length) {
    throw new ValidationError([
      {
        path: `${fileName} header`,
        message: `${issues.join("; ")} (expected columns: ${salesFileColumns.join(", ")}; the first row must be the header)`,
      },
    ]);
  }
  return header;
}

/** One line for the operator, e.g. `sales.csv: 12 rows read, 10 created, … in 0.4 s (30 lines/s)`. */
export function formatSummary(result: SalesFileImportResult): string {
  const seconds = result.elapsedMs / 1000;
  const lines = [
    `${path.basename(result.file)}: ${result.rows} rows read, ${result.created} created, ${result.updated} updated, ` +
      `${result.unchanged} unchanged, ${result.rejected} rejected in ${seconds.toFixed(seconds < 10 ? 1 : 0)} s ` +
      `(${result.linesPerSecond} lines/s, ${result.batches} batch${result.batches === 1 ? "" : "es"})`,
  ];
  if (result.stoppedAt)
    lines.push(`stopped reading at line ${result.stoppedAt.line}: ${result.stoppedAt.reason}`);
  if (result.reportPath) lines.push(`rejected rows, with their line numbers and why: ${result.reportPath}`);
  return lines.join("\n");
}
