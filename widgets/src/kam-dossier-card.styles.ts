import { css } from "lit";

export const dossierCardStyles = css`
  :host {
    container-type: inline-size;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_space) * 1.5);
    display: grid;
    gap: var(--_space);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .name {
    all: unset;
    cursor: pointer;
    font-size: 1.25em;
    font-weight: 600;
    color: var(--_accent);
    text-decoration: underline;
  }
  .name:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .pill,
  .badge {
    display: inline-block;
    padding: 0 calc(var(--_space) * 0.75);
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_raised);
    font-size: 0.9em;
  }
  .badge {
    font-weight: 700;
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .pill[data-tone="danger"] {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .pill[data-tone="warning"] {
    border-color: var(--_warning);
    color: var(--_warning);
  }
  .pill[data-tone="success"] {
    border-color: var(--_success);
    color: var(--_success);
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8em, 1fr));
    gap: var(--_space);
    margin: 0;
  }
  .facts div {
    background: var(--_raised);
    border-radius: var(--_radius);
    padding: calc(var(--_space) / 2) var(--_space);
  }
  dt {
    color: var(--_muted);
    font-size: 0.85em;
  }
  dd {
    margin: 0;
    font-weight: 600;
  }
  .body {
    display: grid;
    grid-template-columns: 1fr;
    gap: var(--_space);
  }
  @container (min-width: 600px) {
    .body {
      grid-template-columns: 1fr 1fr;
    }
  }
  .section {
    border-top: 1px solid var(--_border);
    padding-top: calc(var(--_space) / 2);
    min-width: 0;
  }
  .section h3 {
    margin: 0;
    font-size: 1em;
  }
  .toggle {
    color: inherit;
    display: flex;
    width: 100%;
    justify-content: space-between;
    background: none;
    border: 0;
    padding: calc(var(--_space) / 2) 0;
    cursor: pointer;
    font-weight: 600;
    text-align: start;
  }
  .toggle::after {
    content: "▾";
  }
  .toggle[aria-expanded="false"]::after {
    content: "▸";
  }
  ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  li {
    background: var(--_raised);
    border-radius: var(--_radius);
    padding: calc(var(--_space) / 2) var(--_space);
    overflow-wrap: anywhere;
  }
  ul.reports {
    margin-top: calc(var(--_space) / 2);
    padding-inline-start: calc(var(--_space) * 1.5);
    border-inline-start: 2px solid var(--_border);
  }
  ul.reports > li {
    background: var(--_surface);
  }
  .competitor {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--_space);
  }
  .title {
    margin: 0;
    font-size: 1em;
  }
  .trend {
    margin-inline-start: calc(var(--_space) / 2);
    font-weight: 400;
  }
  .trend[data-tone="success"] {
    color: var(--_success);
  }
  .trend[data-tone="danger"] {
    color: var(--_danger);
  }
  .risk-fact {
    grid-column: 1 / -1;
  }
  .pitch summary {
    cursor: pointer;
  }
  .pitch p {
    margin: calc(var(--_space) / 2) 0 0;
  }
  .personal {
    margin: calc(var(--_space) / 2) 0 0;
  }
  .personal div {
    display: flex;
    gap: calc(var(--_space) / 2);
  }
  .personal dd {
    font-weight: 400;
  }
  [hidden] {
    display: none !important;
  }
  .muted,
  .restricted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .restricted {
    font-style: italic;
  }
  .risk {
    border-left: 4px solid var(--_warning);
    padding-left: var(--_space);
    margin: 0;
  }
`;
