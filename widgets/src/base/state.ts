/**
 * The one state model of every widget. A widget is always in exactly one of these, and each has
 * something to show: never a blank box.
 */
import type { KamErrorCode } from "../client/client.ts";

export type WidgetState =
  /** The first load is running. */
  | { kind: "loading" }
  /** Loaded, and there is nothing to show (a filter that matches no account). */
  | { kind: "empty" }
  /** Loaded and shown. */
  | { kind: "ready" }
  /** The server cannot be reached: the last data stays, marked stale with its time. */
  | { kind: "offline"; since: Date }
  /** The token was refused and no new one could be had. */
  | { kind: "session-expired" }
  /** Anything else that went wrong, with its code. */
  | { kind: "error"; code: KamErrorCode; message: string };
