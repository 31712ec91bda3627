import { css } from "lit";

/** What changed elsewhere and just arrived (class `flash`): a brief glow, a still mark under reduced motion. */
export const liveHighlight = css`
  .flash {
    animation: flash 1.5s ease-out;
  }
  @keyframes flash {
    from {
      background: color-mix(in srgb, var(--_warning) 35%, transparent);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .flash {
      animation: none;
      box-shadow: inset 4px 0 0 var(--_warning);
    }
  }
`;
