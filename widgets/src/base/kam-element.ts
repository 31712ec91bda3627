/**
 * The base of every KAM widget: where its configuration comes from (its own attributes, then the
 * nearest `<kam-provider>`), the language it speaks, the one state model with what each state
 * shows, `emit()` for `kam-` events that bubble out of the shadow DOM, and `stream()` for live
 * updates that last while the widget is on the page.
 */
import { msg, str, updateWhenLocaleChanges } from "@lit/localize";
import { html, LitElement, type nothing, type PropertyValues, type TemplateResult } from "lit";
import { KamClient, KamRequestError, subscribe, type TokenProvider } from "../client/client.ts";
import type { Operation } from "../client/operation.ts";
import { formatDate, formatTime } from "../format.ts";
import { localeOf, useLocale, watchDocumentLanguage } from "../localization.ts";
import type { KamEventMap } from "./events.ts";
import type { WidgetState } from "./state.ts";

/** What a widget needs to reach KAM; a `<kam-provider>` holds the same for the widgets inside it. */
export interface KamSettingsSource {
  endpoint: string | null;
  token: string | null;
  locale: string | null;
  tokenProvider: TokenProvider | null;
}

/** The API next to the bundle: `…/widgets/kam-widgets.js` → `…/graphql`. */
const defaultEndpoint = new URL(/* @vite-ignore */ "../graphql", import.meta.url).href;

/** The nearest `<kam-provider>` around an element, through shadow roots. */
export function providerOf(element: Element): (KamSettingsSource & ProviderRegistry) | null {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.localName === "kam-provider") {
      return node as unknown as KamSettingsSource & ProviderRegistry;
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return null;
}

export interface ProviderRegistry {
  register(widget: KamElement): void;
  unregister(widget: KamElement): void;
}

export abstract class KamElement extends LitElement implements KamSettingsSource {
  static override properties = {
    endpoint: { type: String },
    token: { type: String },
    locale: { type: String },
    tokenProvider: { attribute: false },
    // @internal
    view: { state: true },
  };

  /** The GraphQL endpoint; by default the `/graphql` of the server the script came from. */
  declare endpoint: string | null;
  /** A bearer token: a signed user token or an API key. */
  declare token: string | null;
  /** en, fr, ru, es, pt or th; by default the nearest `lang`, else the page's. */
  declare locale: string | null;
  /** A function returning a promise of a token, asked again before it expires and after a 401. */
  declare tokenProvider: TokenProvider | null;
  /** The widget's state. @internal */
  declare protected view: WidgetState;

  /** When the data on screen was loaded. */
  protected loadedAt: Date | null = null;
  private client: KamClient | null = null;
  private clientKey: unknown[] = [];
  private running: AbortController | null = null;
  private provider: (KamSettingsSource & ProviderRegistry) | null = null;
  private streams = new Map<string, { variables: string; controller: AbortController }>();

  constructor() {
    super();
    this.endpoint = null;
    this.token = null;
    this.locale = null;
    this.tokenProvider = null;
    this.view = { kind: "loading" };
    updateWhenLocaleChanges(this);
  }

  /** Reads the widget's data; false when there is nothing to show. */
  protected abstract load(client: KamClient, signal: AbortSignal): Promise<boolean>;

  override connectedCallback(): void {
    super.connectedCallback();
    this.provider = providerOf(this);
    const waiting = Boolean(this.provider && typeof this.provider.register !== "function");
    if (waiting) {
      // The provider is on the page but not upgraded yet: join it once it is.
      const pending = this.provider as KamSettingsSource & ProviderRegistry;
      this.provider = null;
      void customElements.whenDefined("kam-provider").then(() => {
        if (!this.isConnected || providerOf(this) !== pending) return;
        this.provider = pending;
        pending.register(this);
        this.providerChanged();
      });
    } else {
      this.provider?.register(this);
    }
    watchDocumentLanguage();
    void useLocale(localeOf(this, this.locale ?? this.provider?.locale));
    document.addEventListener("visibilitychange", this.onVisible);
    window.addEventListener("online", this.onOnline);
    // A widget waiting for its provider loads when it has joined (providerChanged).
    if (!waiting) this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.provider?.unregister(this);
    this.provider = null;
    document.removeEventListener("visibilitychange", this.onVisible);
    window.removeEventListener("online", this.onOnline);
    this.running?.abort();
    for (const name of [...this.streams.keys()]) this.closeStream(name);
  }

  /**
   * Keeps one live stream (a subscription over server-sent events) open under `name` while the
   * widget is on the page: asked again with the same variables it stays, with others it is
   * replaced. It reconnects after a network drop (then `onReconnect`, to catch up on what was
   * missed) and closes when the widget leaves the page.
   */
  protected stream<Result, Variables extends Record<string, unknown>>(
    name: string,
    document: Operation<Result, Variables>,
    variables: Variables,
    onData: (data: Result) => void,
    onReconnect: () => void,
  ): void {
    const key = JSON.stringify(variables);
    if (!this.isConnected || this.streams.get(name)?.variables === key) return;
    this.closeStream(name);
    const controller = new AbortController();
    this.streams.set(name, { variables: key, controller });
    void subscribe(this.kam, document, variables, controller.signal, onData, onReconnect);
  }

  protected closeStream(name: string): void {
    this.streams.get(name)?.controller.abort();
    this.streams.delete(name);
  }

  /**
   * Whether any of these properties was changed after the first render (the first one sets them
   * from their attributes, and the first load already follows them).
   */
  protected changedSinceFirstRender(changed: PropertyValues<this>, names: readonly PropertyKey[]): boolean {
    const values = changed as Map<PropertyKey, unknown>;
    return names.some((name) => values.has(name) && values.get(name) !== undefined);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.changedSinceFirstRender(changed, ["locale"])) {
      void useLocale(localeOf(this, this.locale ?? this.provider?.locale));
    }
    if (this.changedSinceFirstRender(changed, ["endpoint", "token", "tokenProvider"])) this.refresh();
  }

  /** The provider around this widget changed its settings. @internal */
  providerChanged(): void {
    void useLocale(localeOf(this, this.locale ?? this.provider?.locale));
    this.refresh();
  }

  /** The client for the settings in force: own attributes first, then the provider's. */
  protected get kam(): KamClient {
    const endpoint = this.endpoint ?? this.provider?.endpoint ?? defaultEndpoint;
    const token = this.token ?? this.provider?.token ?? null;
    const tokenProvider = this.tokenProvider ?? this.provider?.tokenProvider ?? null;
    const key = [endpoint, token, tokenProvider];
    if (!this.client || key.some((value, index) => value !== this.clientKey[index])) {
      this.client = new KamClient({ endpoint, token, tokenProvider });
      this.clientKey = key;
    }
    return this.client;
  }

  /** Loads again, keeping what is on screen until the new data arrives. */
  refresh(): void {
    this.running?.abort();
    const running = new AbortController();
    this.running = running;
    if (!this.loadedAt) this.view = { kind: "loading" };
    void this.load(this.kam, running.signal).then(
      (hasData) => {
        if (running.signal.aborted) return;
        this.loadedAt = new Date();
        this.view = hasData ? { kind: "ready" } : { kind: "empty" };
        this.emit("kam-ready", { widget: this.localName, empty: !hasData });
      },
      (error: unknown) => {
        if (running.signal.aborted || (error instanceof DOMException && error.name === "AbortError")) return;
        const failure =
          error instanceof KamRequestError
            ? error
            : new KamRequestError("SERVER_ERROR", error instanceof Error ? error.message : String(error));
        if (failure.code === "OFFLINE" && this.loadedAt) {
          this.view = { kind: "offline", since: this.loadedAt };
        } else if (failure.code === "SESSION_EXPIRED") {
          this.view = { kind: "session-expired" };
        } else {
          this.view = { kind: "error", code: failure.code, message: failure.message };
        }
        this.emit("kam-error", { code: failure.code, message: failure.message });
      },
    );
  }

  private readonly onVisible = () => {
    if (document.visibilityState !== "visible") return;
    this.client?.refreshIfExpiring();
    if (this.view.kind !== "loading") this.refresh();
  };

  private readonly onOnline = () => {
    if (this.view.kind === "offline" || this.view.kind === "error") this.refresh();
  };

  /** Fires a `kam-` event that bubbles and crosses shadow boundaries. */
  protected emit<K extends keyof KamEventMap>(name: K, detail: KamEventMap[K]): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }),
    );
  }

  /**
   * What the state shows: a message for loading, empty, expired and error; the content, under a
   * stale-data notice when offline, for ready and offline.
   */
  protected renderState(content: () => unknown): TemplateResult | typeof nothing {
    const view = this.view;
    switch (view.kind) {
      case "loading":
        return html`<div class="state" part="state" data-kind="loading" role="status" aria-live="polite">
          ${msg("Loading…", { id: "state.loading" })}
        </div>`;
      case "empty":
        return html`<div class="state" part="state" data-kind="empty" role="status">
          ${msg("Nothing to show.", { id: "state.empty" })}
        </div>`;
      case "session-expired":
        return html`<div class="state" part="state" data-kind="session-expired" role="alert">
          ${msg("Your session has expired. Sign in again to see this.", { id: "state.expired" })}
        </div>`;
      case "error":
        return html`<div class="state" part="state" data-kind="error" role="alert">
          <p>
            ${
              view.code === "NO_TOKEN"
                ? msg("No token: this widget needs one to read KAM.", { id: "state.no-token" })
                : msg("Could not load the data.", { id: "state.error" })
            }
          </p>
          <p class="detail">${view.message}</p>
          <button type="button" part="button" @click=${() => this.refresh()}>
            ${msg("Try again", { id: "state.retry" })}
          </button>
        </div>`;
      case "offline": {
        const when = `${formatDate(view.since)} ${formatTime(view.since)}`;
        return html`<p class="stale" part="stale" role="status">
            ${msg(str`Offline: showing the data of ${when}.`, { id: "state.offline" })}
          </p>
          ${content()}`;
      }
      case "ready":
        return html`${content()}`;
    }
  }
}
