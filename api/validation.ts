import type { z } from "zod";
import { ValidationError } from "./errors.ts";

/** Parses input with a zod schema, turning every issue into one typed ValidationError. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  root = "input",
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: [root, ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  );
}
