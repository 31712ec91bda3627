import { css } from "lit";
import { controls } from "./styles/controls.ts";
import { liveHighlight } from "./styles/live.ts";
import { tokens } from "./styles/tokens.ts";

export const styles = [
  tokens,
  controls,
  liveHighlight,
  css`
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: calc(var(--_space) / 2) var(--_space);
      margin-bottom: var(--_space);
    }
    h2 {
      flex-basis: 100%;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) / 2) var(--_space);
      margin: 0;
      padding: 0;
      border: 0;
    }
    label {
      display: grid;
      gap: 2px;
      font-size: 0.9em;
      color: var(--_muted);
    }
    .matrix {
      height: var(--kam-score-matrix-height, 480px);
      overflow: auto;
      /* Rows scrolled into view stop below the sticky header. */
      scroll-padding-top: 3em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .row {
      display: grid;
      grid-template-columns: var(--columns);
      width: 100%;
      min-height: 2.4em;
      border-bottom: 1px solid var(--_border);
    }
    .head {
      position: sticky;
      top: 0;
      z-index: 1;
      background: var(--_surface);
      font-weight: 600;
    }
    .head button {
      all: unset;
      cursor: pointer;
      display: block;
      width: 100%;
    }
    .cell {
      padding: calc(var(--_space) / 2);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      align-self: center;
    }
    .num {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
    .score {
      text-align: center;
      font-variant-numeric: tabular-nums;
      /* Heat by value; the number is always written. */
      background: color-mix(in srgb, var(--_accent) calc(var(--level, 0) * 0.24%), transparent);
    }
    .unscored {
      color: var(--_muted);
      font-style: italic;
    }
    .active {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }
    .pending {
      text-decoration: underline dotted;
    }
    .draft {
      outline: 2px dashed var(--_warning);
      outline-offset: -3px;
    }
    .failed {
      color: var(--_danger);
    }
    .verdict-key {
      color: var(--_success);
    }
    .verdict-drop {
      color: var(--_danger);
    }
    .panel {
      margin-top: var(--_space);
      padding: var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_raised);
      display: grid;
      gap: calc(var(--_space) / 2);
    }
    .panel ul {
      margin: 0;
      padding-inline-start: 1.2em;
    }
  `,
];
