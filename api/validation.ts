import { z } from "zod";
import { ValidationError } from "./errors.ts";

/** Parses input with a zod schema, turning every issue into one typed ValidationError. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  /** Where the input sits in what the caller was given; paths start there. */
  root = "",
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: [...(root ? [root] : []), ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  );
}

/** Free text that may be left out or cleared; blank counts as cleared. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => (value === "" ? null : value))
    .nullish();

/** A name-like text that must be there. */
export const requiredText = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

/** In a patch, leaving a field out keeps it; null would clear it, which these fields do not allow. */
export const notNull = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .refine((value) => value !== null, "cannot be cleared")
    // The refine has refused null; the transform tells the type so.
    .transform((value) => value ?? undefined);

/** The version a change is based on (optimistic concurrency). */
export const versionField = z.number().int("must be a whole number").min(1, "must be at least 1");

/** A reference to an existing row and the version the caller read. */
export const versionedId = z.object({ id: z.string(), version: versionField });

/** A past instant (a minute of clock skew allowed). */
export const pastDate = z
  .date()
  .refine((date) => date.getTime() <= Date.now() + 60_000, "cannot be in the future");

/** The fields of a patch that were sent: undefined means "leave as it is", null still clears. */
export function sentFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
