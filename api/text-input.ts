/**
 * Text a database cannot hold faithfully — a NUL byte, or half of a UTF-16 surrogate pair — is
 * refused as VALIDATION_FAILED, naming where it was, before anything runs; never an internal
 * error from the driver.
 */
import { GraphQLError, Kind, visit } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "./errors.ts";

// The NUL character is matched as a string, not in the pattern: a control character in a regular
// expression reads as a mistake.
const nul = String.fromCharCode(0);
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const illFormed = { test: (text: string) => text.includes(nul) || unpairedSurrogate.test(text) };

/** The path of the first ill-formed text in a value, or null. */
function illFormedPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return illFormed.test(value) ? path : null;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    const found = illFormedPath(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

function refusal(path: string): GraphQLError {
  return new GraphQLError(`${path}: text must not contain a NUL character or an unpaired UTF-16 surrogate.`, {
    extensions: { code: ErrorCode.VALIDATION_FAILED, issues: [{ path, message: "is not well-formed text" }] },
  });
}

export function useWellFormedText(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const inVariables = illFormedPath(args.variableValues ?? {}, "variables");
      if (inVariables) {
        setResultAndStopExecution({ errors: [refusal(inVariables)] });
        return;
      }
      let inDocument = false;
      visit(args.document, {
        [Kind.STRING](node) {
          if (illFormed.test(node.value)) inDocument = true;
        },
      });
      if (inDocument) setResultAndStopExecution({ errors: [refusal("document")] });
    },
  };
}
