import { css } from "lit";

/** What the grid-like widgets share: headings, muted text, form controls, action rows, errors. */
export const controls = css`
  :host {
    container-type: inline-size;
  }
  h2 {
    margin: 0;
    font-size: 1.15em;
  }
  h3 {
    margin: 0;
    font-size: 1em;
  }
  .muted {
    margin: 0;
    color: var(--_muted);
  }
  input,
  select,
  button {
    font: inherit;
    color: var(--_text);
    padding: calc(var(--_space) / 2) var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_raised);
  }
  button {
    cursor: pointer;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .error {
    margin: 0;
    color: var(--_danger);
  }
`;
