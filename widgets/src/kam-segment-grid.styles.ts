import { css } from "lit";
import { controls } from "./styles/controls.ts";
import { tokens } from "./styles/tokens.ts";

export const styles = [
  tokens,
  controls,
  css`
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: calc(var(--_space) / 2) var(--_space);
      margin-bottom: var(--_space);
    }
    .trial {
      margin: 0;
      padding: 0 calc(var(--_space) * 0.75);
      border: 1px dashed var(--_warning);
      border-radius: var(--_radius);
      color: var(--_text);
    }
    header button {
      margin-left: auto;
    }
    button[aria-expanded="true"] {
      border-color: var(--_accent);
    }
    .explanation {
      margin: 0 0 var(--_space);
      padding: var(--_space);
      border-radius: var(--_radius);
      background: var(--_raised);
    }
    .explanation p {
      margin: 0 0 calc(var(--_space) / 2);
    }
    .layout {
      display: grid;
      gap: calc(var(--_space) * 2);
    }
    @container (min-width: 760px) {
      .layout:has(.panel) {
        grid-template-columns: minmax(360px, 1fr) minmax(320px, 1fr);
      }
    }
    .grid {
      display: grid;
      gap: calc(var(--_space) / 2);
    }
    .grid-row {
      display: grid;
      grid-template-columns: 2.2em repeat(3, minmax(0, 1fr));
      gap: calc(var(--_space) / 2);
    }
    .axis {
      align-self: center;
      justify-self: center;
      font-weight: 600;
      color: var(--_muted);
      text-align: center;
    }
    .cell {
      position: relative;
      display: grid;
      gap: 2px;
      padding: var(--_space);
      min-height: 6.5em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      /* Tinted by value, never so strongly that the written numbers lose their contrast. */
      background: color-mix(in srgb, var(--_accent) calc(var(--level) * 0.22%), var(--_raised));
      cursor: pointer;
      overflow: hidden;
    }
    .cell[aria-selected="true"] {
      border: 2px solid var(--_accent);
    }
    .cell .name {
      font-weight: 700;
      font-size: 1.1em;
    }
    .cell .value {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .cell .count,
    .cell .share {
      font-size: 0.9em;
    }
    .bar {
      display: block;
      height: 4px;
      margin-top: 2px;
      border-radius: 2px;
      background: var(--_border);
    }
    .bar span {
      display: block;
      height: 100%;
      border-radius: 2px;
      background: var(--_accent);
    }
    .panel {
      display: grid;
      gap: var(--_space);
      align-content: start;
    }
    .panel-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space);
    }
    .list {
      height: 22em;
      overflow: auto;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .row {
      display: grid;
      grid-template-columns: minmax(8em, 2fr) repeat(4, minmax(4.5em, 1fr)) auto;
      gap: var(--_space);
      width: 100%;
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-bottom: 1px solid var(--_border);
      cursor: pointer;
    }
    .row[aria-selected="true"] {
      background: var(--_raised);
      box-shadow: inset 4px 0 0 var(--_accent);
    }
    .list:focus-visible .row[aria-selected="true"] {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }
    .account {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .num {
      font-variant-numeric: tabular-nums;
      text-align: end;
    }
    .flag {
      display: inline-block;
      padding: 0 calc(var(--_space) / 2);
      border: 1px solid var(--_warning);
      border-radius: var(--_radius);
      color: var(--_text);
      font-size: 0.85em;
    }
    @container (max-width: 480px) {
      .row {
        grid-template-columns: 1fr 1fr;
      }
      .account {
        grid-column: 1 / -1;
      }
    }
  `,
];
