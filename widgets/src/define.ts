/**
 * Defines a custom element unless the tag is taken: the bundle may be loaded twice on one page,
 * or two versions of it, and neither may throw. The first definition wins.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
