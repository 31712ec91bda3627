/**
 * A read that runs too long, or whose client has gone away, stops: no further field is resolved
 * and no further statement is sent. A read past the limit gets REQUEST_TIMEOUT, which a client
 * may retry with a smaller request. Mutations are not cut off halfway: each runs to the end of
 * its transaction.
 */
import { GraphQLError, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import { statementScope } from "./db/statement-scope.ts";
import { ErrorCode } from "./errors.ts";

/** The error of a read stopped by its time limit (made only then: an error costs its stack). */
function timeoutError(limitMs: number): GraphQLError {
  return new GraphQLError(`The query took longer than ${limitMs} ms and was stopped; ask for less.`, {
    extensions: { code: ErrorCode.REQUEST_TIMEOUT, limitMs },
  });
}

export function useTimeLimit(limitMs: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== "query") return;
      const request = (args.contextValue as { request?: Request }).request;
      const controller = new AbortController();
      const deadline = performance.now() + limitMs;
      // With a synchronous driver (SQLite) a timer cannot fire while the read runs, so the
      // deadline is also checked each time the executor asks whether to go on.
      const expire = () => {
        if (!controller.signal.aborted && performance.now() > deadline)
          controller.abort(timeoutError(limitMs));
      };
      const timer = setTimeout(expire, limitMs + 1);
      const onClientGone = () => controller.abort(new GraphQLError("The client went away."));
      if (request?.signal.aborted) onClientGone();
      else request?.signal.addEventListener("abort", onClientGone, { once: true });
      const signal = new Proxy(controller.signal, {
        get(target, property) {
          if (property === "aborted" || property === "throwIfAborted" || property === "reason") expire();
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      // The executor stops resolving once this signal is aborted.
      (args as { signal?: AbortSignal }).signal = signal;
      // Nor is a statement sent for the read after it (db/statement-scope.ts): not one a resolver
      // had begun before, nor one a request loader batches after.
      setExecuteFn((executeArgs) => statementScope.run(signal, () => executeFn(executeArgs)));
      return {
        onExecuteDone() {
          clearTimeout(timer);
          request?.signal.removeEventListener("abort", onClientGone);
        },
      };
    },
  };
}
