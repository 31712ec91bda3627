/**
 * The theme every widget reads: semantic custom properties, each with a default, light and dark.
 * A host page themes the widgets by setting `--kam-…` properties on them or any ancestor; inside,
 * only the private `--_…` copies are used, so no colour is out of a theme's reach.
 *
 * | property | meaning |
 * | --- | --- |
 * | `--kam-color-surface` | background of a widget |
 * | `--kam-color-surface-raised` | background of cells, cards and panels inside it |
 * | `--kam-color-text` | text |
 * | `--kam-color-text-muted` | secondary text |
 * | `--kam-color-border` | borders and rules |
 * | `--kam-color-accent` | the colour of value: heat, selection, links |
 * | `--kam-color-on-accent` | text on the accent colour |
 * | `--kam-color-focus` | the focus ring |
 * | `--kam-color-danger` | errors, lost accounts, high threat |
 * | `--kam-color-warning` | warnings, at-risk accounts, stale data |
 * | `--kam-color-success` | good news: growth, key accounts |
 * | `--kam-radius` | corner radius |
 * | `--kam-font-family` | font |
 * | `--kam-font-size` | base font size |
 * | `--kam-space` | base spacing unit |
 */
import { css } from "lit";

export const tokens = css`
  :host {
    --_surface: var(--kam-color-surface, #ffffff);
    --_raised: var(--kam-color-surface-raised, #f4f6fa);
    --_text: var(--kam-color-text, #1d2433);
    --_muted: var(--kam-color-text-muted, #4f586a);
    --_border: var(--kam-color-border, #c9d0dc);
    --_accent: var(--kam-color-accent, #1f4fbf);
    --_on-accent: var(--kam-color-on-accent, #ffffff);
    --_focus: var(--kam-color-focus, #1f4fbf);
    --_danger: var(--kam-color-danger, #a8231b);
    --_warning: var(--kam-color-warning, #7a4f00);
    --_success: var(--kam-color-success, #1d6b33);
    --_radius: var(--kam-radius, 8px);
    --_font: var(--kam-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", sans-serif);
    --_size: var(--kam-font-size, 14px);
    --_space: var(--kam-space, 8px);

    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_surface);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--kam-color-surface, #161a21);
      --_raised: var(--kam-color-surface-raised, #222834);
      --_text: var(--kam-color-text, #e8ebf1);
      --_muted: var(--kam-color-text-muted, #b3bac8);
      --_border: var(--kam-color-border, #3b4352);
      --_accent: var(--kam-color-accent, #7ea6ff);
      --_on-accent: var(--kam-color-on-accent, #0b1020);
      --_focus: var(--kam-color-focus, #9dbcff);
      --_danger: var(--kam-color-danger, #ff8a80);
      --_warning: var(--kam-color-warning, #ffcc66);
      --_success: var(--kam-color-success, #7fd99a);
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
  .state {
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_raised);
  }
  .state[data-kind="error"],
  .state[data-kind="session-expired"] {
    border-color: var(--_danger);
  }
  .stale {
    margin: 0 0 var(--_space);
    padding: calc(var(--_space) / 2) var(--_space);
    border-left: 4px solid var(--_warning);
    background: var(--_raised);
  }
  button {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
