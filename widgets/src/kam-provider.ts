import { css, html, LitElement, type PropertyValues } from "lit";
import type { KamElement, KamSettingsSource } from "./base/kam-element.ts";
import type { TokenProvider } from "./client/client.ts";
import { defineElement } from "./define.ts";

/**
 * Configures every KAM widget inside it at once: the endpoint, the token or token provider, and
 * the language. A widget's own attributes win over its provider's.
 *
 * @tag kam-provider
 * @summary Shared configuration for the KAM widgets inside it.
 * @slot - Any content, widgets included, at any depth.
 */
export class KamProvider extends LitElement implements KamSettingsSource {
  static override properties = {
    endpoint: { type: String },
    token: { type: String },
    locale: { type: String },
    tokenProvider: { attribute: false },
  };

  /** The GraphQL endpoint for the widgets inside. */
  declare endpoint: string | null;
  /** A bearer token for the widgets inside. */
  declare token: string | null;
  /** The language of the widgets inside: en, fr, ru, es, pt or th. */
  declare locale: string | null;
  /** A function returning a promise of a token, for the widgets inside. */
  declare tokenProvider: TokenProvider | null;

  private readonly widgets = new Set<KamElement>();

  constructor() {
    super();
    this.endpoint = null;
    this.token = null;
    this.locale = null;
    this.tokenProvider = null;
  }

  /** @internal */
  register(widget: KamElement): void {
    this.widgets.add(widget);
  }

  /** @internal */
  unregister(widget: KamElement): void {
    this.widgets.delete(widget);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ([...changed.values()].some((previous) => previous !== undefined)) {
      for (const widget of this.widgets) widget.providerChanged();
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  static override styles = css`
    :host {
      display: contents;
    }
  `;
}

defineElement("kam-provider", KamProvider);

declare global {
  interface HTMLElementTagNameMap {
    "kam-provider": KamProvider;
  }
}
