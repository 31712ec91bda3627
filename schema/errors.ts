import {
  AccountArchivedError,
  AlreadyExistsError,
  ConcurrentWriteError,
  ErrorCode,
  ForbiddenError,
  InvalidIdError,
  type KamError,
  NotFoundError,
  OrgChartCycleError,
  PersonalDataErasedError,
  SalesImportRejectedError,
  ValidationError,
  VersionConflictError,
} from "../api/errors.ts";
import { builder } from "./builder.ts";

export const ErrorCodeEnum = builder.enumType("ErrorCode", {
  description: "Stable codes of expected errors; also sent as extensions.code.",
  values: Object.values(ErrorCode),
});

export const ErrorInterface = builder.interfaceRef<KamError>("Error").implement({
  description: "An expected failure the client can act on.",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
  }),
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>("FieldIssue").implement({
  description: "One problem with one input field.",
  fields: (t) => ({
    path: t.exposeString("path", { description: "Dotted path of the field, e.g. input.country." }),
    message: t.exposeString("message"),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "Nothing of that type has that ID.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ entity: t.exposeString("entity") }),
});

builder.objectType(InvalidIdError, {
  name: "InvalidIdError",
  description: "The ID is malformed or names another type.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidIdError,
  fields: (t) => ({
    value: t.exposeString("value"),
    expected: t.exposeString("expected", { description: "The type the ID should name." }),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "Some input values are invalid; nothing was changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ issues: t.field({ type: [FieldIssue], resolve: (error) => error.issues }) }),
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description: "The caller lacks the rights for this; nothing was changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: () => ({}),
});

builder.objectType(VersionConflictError, {
  name: "VersionConflictError",
  description: "Someone changed the record since it was read; reload it and apply the change again.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof VersionConflictError,
  fields: (t) => ({
    expectedVersion: t.exposeInt("expectedVersion"),
    currentVersion: t.exposeInt("currentVersion"),
    path: t.exposeString("path", {
      nullable: true,
      description: "In a batch, the entry whose version is stale (`input.scores.2.version`).",
    }),
  }),
});

builder.objectType(AccountArchivedError, {
  name: "AccountArchivedError",
  description: "The account is archived and read-only.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AccountArchivedError,
  fields: () => ({}),
});

builder.objectType(AlreadyExistsError, {
  name: "AlreadyExistsError",
  description: "A value that must be unique is already taken.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AlreadyExistsError,
  fields: (t) => ({ field: t.exposeString("field"), value: t.exposeString("value") }),
});

builder.objectType(OrgChartCycleError, {
  name: "OrgChartCycleError",
  description: "The move would make someone report, directly or not, to themselves.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof OrgChartCycleError,
  fields: () => ({}),
});

builder.objectType(PersonalDataErasedError, {
  name: "PersonalDataErasedError",
  description: "The person's data was erased on request and cannot be recorded again.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PersonalDataErasedError,
  fields: () => ({}),
});

const SalesLineProblem = builder
  .objectRef<{ index: number; externalLineId: string | null; message: string }>("SalesLineProblem")
  .implement({
    fields: (t) => ({
      line: t.int({
        description: "1-based position of the line in the import.",
        resolve: (problem) => problem.index + 1,
      }),
      externalLineId: t.exposeString("externalLineId", { nullable: true }),
      message: t.exposeString("message"),
    }),
  });

builder.objectType(SalesImportRejectedError, {
  name: "SalesImportRejectedError",
  description: "At least one line is bad, so nothing was imported; every problem names its line.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SalesImportRejectedError,
  fields: (t) => ({ problems: t.field({ type: [SalesLineProblem], resolve: (error) => error.problems }) }),
});

builder.objectType(ConcurrentWriteError, {
  name: "ConcurrentWriteError",
  description:
    "Another write stored the same records at the same moment; nothing was changed and the same request may be sent again.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConcurrentWriteError,
  fields: () => ({}),
});

/** The errors every write can return. */
export const writeErrors = [ValidationError, InvalidIdError, NotFoundError, ForbiddenError];
/** Writes to an account or to what its dossier holds. */
export const dossierWriteErrors = [...writeErrors, VersionConflictError, AccountArchivedError];
export const accountWriteErrors = [...dossierWriteErrors, AlreadyExistsError];
