/**
 * Open subscriptions per principal are capped: one user or API key cannot hold hundreds of live
 * streams. Past the cap a new subscription is refused with TOO_MANY_SUBSCRIPTIONS; closing one
 * frees its place.
 */
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { type Principal, principalKey } from "./auth/principal.ts";
import { ErrorCode } from "./errors.ts";

/** The same stream, calling `ended` once when it finishes, fails or its reader lets go. */
function whenEnded<T>(stream: AsyncIterable<T>, ended: () => void): AsyncIterableIterator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    ended();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) end();
        return result;
      } catch (error) {
        end();
        throw error;
      }
    },
    async return(value?: unknown) {
      end();
      return iterator.return ? iterator.return(value) : { done: true, value: value as T };
    },
    async throw(error?: unknown) {
      end();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}

export function useSubscriptionCap(maxPerPrincipal: number): Plugin {
  const open = new Map<string, number>();
  const release = (key: string) => {
    const count = (open.get(key) ?? 1) - 1;
    if (count <= 0) open.delete(key);
    else open.set(key, count);
  };
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const principal = (args.contextValue as { principal?: Principal }).principal;
      if (!principal) return;
      const key = principalKey(principal);
      const count = open.get(key) ?? 0;
      if (count >= maxPerPrincipal) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `At most ${maxPerPrincipal} open subscriptions per user or API key; close one to open another.`,
              { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, maximum: maxPerPrincipal } },
            ),
          ],
        });
        return;
      }
      open.set(key, count + 1);
      return {
        onSubscribeResult({ result, setResult }) {
          if (result && typeof result === "object" && Symbol.asyncIterator in result) {
            setResult(whenEnded(result as AsyncIterable<never>, () => release(key)));
          } else {
            release(key);
          }
        },
        onSubscribeError() {
          release(key);
        },
      };
    },
  };
}
