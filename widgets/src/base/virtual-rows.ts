/**
 * Brings row `index` of a virtualised list into its scroller's view, whether it is rendered yet
 * or not. A rendered row is scrolled to the nearest edge; one that is not is scrolled to where it
 * lies (the rows are of one height), and the virtualizer renders it there.
 *
 * @param scroller the element that scrolls
 * @param rows the virtualizer's host inside it
 * @param ariaRowIndex the row's `aria-rowindex`
 */
export function scrollToRow(
  scroller: HTMLElement,
  rows: HTMLElement,
  index: number,
  ariaRowIndex: number,
): void {
  const row = rows.querySelector<HTMLElement>(`:scope > [aria-rowindex="${ariaRowIndex}"]`);
  if (row) {
    row.scrollIntoView({ block: "nearest" });
    return;
  }
  const height = rows.querySelector<HTMLElement>(":scope > [aria-rowindex]")?.offsetHeight || 32;
  const top = rows.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTop = Math.max(0, top + index * height - scroller.clientHeight / 2);
}
