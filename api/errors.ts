/**
 * Expected, client-actionable failures. Each has a stable code; the schema exposes them as members
 * of result unions, and as `extensions.code` where a field has no union. Anything else is masked.
 */
export const ErrorCode = {
  // common
  NOT_FOUND: "NOT_FOUND",
  INVALID_ID: "INVALID_ID",
  VALIDATION_FAILED: "VALIDATION_FAILED",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  QUERY_LIMIT_EXCEEDED: "QUERY_LIMIT_EXCEEDED",
  REQUEST_TIMEOUT: "REQUEST_TIMEOUT",
  RATE_LIMITED: "RATE_LIMITED",
  TOO_MANY_SUBSCRIPTIONS: "TOO_MANY_SUBSCRIPTIONS",
  // accounts
  VERSION_CONFLICT: "VERSION_CONFLICT",
  ACCOUNT_ARCHIVED: "ACCOUNT_ARCHIVED",
  ALREADY_EXISTS: "ALREADY_EXISTS",
  CONCURRENT_WRITE: "CONCURRENT_WRITE",
  // dossier
  ORG_CHART_CYCLE: "ORG_CHART_CYCLE",
  PERSONAL_DATA_ERASED: "PERSONAL_DATA_ERASED",
  // sales ledger
  SALES_IMPORT_REJECTED: "SALES_IMPORT_REJECTED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export abstract class KamError extends Error {
  abstract readonly code: ErrorCode;
}

export class NotFoundError extends KamError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(
    readonly entity: string,
    readonly id: string,
    /** What `id` is, when it is not an ID ("e-mail"). */
    key = "ID",
  ) {
    super(`No ${entity} with ${key} ${id}.`);
    this.name = "NotFoundError";
  }
}

export class InvalidIdError extends KamError {
  readonly code = ErrorCode.INVALID_ID;
  constructor(
    readonly value: string,
    readonly expected: string,
  ) {
    super(`"${value}" is not a valid ${expected} ID.`);
    this.name = "InvalidIdError";
  }
}

export interface FieldIssue {
  /**
   * Dotted path of the field. A service names it within what it was given (`country`,
   * `scores.2.value`); the schema puts the argument's name in front (`input.country`).
   */
  path: string;
  message: string;
}

export class ValidationError extends KamError {
  readonly code = ErrorCode.VALIDATION_FAILED;
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid input: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
    this.name = "ValidationError";
  }
}

export class ForbiddenError extends KamError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = "You do not have the rights to do this.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Raised before any GraphQL runs: missing, malformed, expired or revoked credentials. */
export class UnauthenticatedError extends KamError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(
    message: string,
    readonly reason: "MISSING" | "MALFORMED" | "INVALID" | "EXPIRED" | "REVOKED" | "DEACTIVATED",
  ) {
    super(message);
    this.name = "UnauthenticatedError";
  }
}

export class VersionConflictError extends KamError {
  readonly code = ErrorCode.VERSION_CONFLICT;
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
    /** In a batch, the input entry whose version is stale (`input.scores.2.version`). */
    readonly path: string | null = null,
  ) {
    super(
      `The record was changed by someone else: you sent version ${expectedVersion}, it is now at version ${currentVersion}${path ? ` (${path})` : ""}. Reload it and apply your change again.`,
    );
    this.name = "VersionConflictError";
  }
}

export class AccountArchivedError extends KamError {
  readonly code = ErrorCode.ACCOUNT_ARCHIVED;
  constructor(readonly accountId: string) {
    super("The account is archived and can no longer be changed.");
    this.name = "AccountArchivedError";
  }
}

export class AlreadyExistsError extends KamError {
  readonly code = ErrorCode.ALREADY_EXISTS;
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`Another record already has ${field} "${value}".`);
    this.name = "AlreadyExistsError";
  }
}

export class OrgChartCycleError extends KamError {
  readonly code = ErrorCode.ORG_CHART_CYCLE;
  constructor() {
    super("A contact cannot report to themselves or to someone who reports to them.");
    this.name = "OrgChartCycleError";
  }
}

export class PersonalDataErasedError extends KamError {
  readonly code = ErrorCode.PERSONAL_DATA_ERASED;
  constructor() {
    super("This person's personal data was erased on request; it cannot be recorded again.");
    this.name = "PersonalDataErasedError";
  }
}

export interface SalesLineProblem {
  /** Zero-based position of the line in the import. */
  index: number;
  externalLineId: string | null;
  message: string;
}

/**
 * Another write stored the same records at the same moment, and trying again did not get past it:
 * nothing was changed, and sending the same request again is safe.
 */
export class ConcurrentWriteError extends KamError {
  readonly code = ErrorCode.CONCURRENT_WRITE;
  constructor(what: string) {
    super(`Another write changed the same ${what} at the same time; nothing was changed. Send it again.`);
    this.name = "ConcurrentWriteError";
  }
}

/** An import with at least one bad line is rejected whole; each problem names its line. */
export class SalesImportRejectedError extends KamError {
  readonly code = ErrorCode.SALES_IMPORT_REJECTED;
  constructor(readonly problems: SalesLineProblem[]) {
    super(
      `The import was rejected and nothing was changed: ${problems.length} problem(s), first at line ${(problems[0]?.index ?? 0) + 1}: ${problems[0]?.message ?? ""}`,
    );
    this.name = "SalesImportRejectedError";
  }
}

/** A path under `root`: `within("input", "country")` is `input.country`. */
export function pathWithin(root: string, path: string | null): string | null {
  if (!root) return path;
  return path ? `${root}.${path}` : root;
}

/**
 * The same failure with its field paths under `root` (the argument or field that held the
 * service's input); any other error as it is.
 */
export function errorWithin(root: string, error: unknown): unknown {
  if (error instanceof ValidationError) {
    return new ValidationError(
      error.issues.map((issue) => ({ ...issue, path: pathWithin(root, issue.path) as string })),
    );
  }
  if (error instanceof VersionConflictError && error.path !== null) {
    return new VersionConflictError(
      error.expectedVersion,
      error.currentVersion,
      pathWithin(root, error.path),
    );
  }
  return error;
}
