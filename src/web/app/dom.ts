// Builds elements from text and attributes only: API data reaches the page as text nodes, never as HTML.

/** What may be a child: strings become text nodes; null, undefined and false are left out; arrays are flattened. */
export type Child = Node | string | null | undefined | false | readonly Child[];

export interface Props {
  readonly class?: string;
  /** Set as textContent: shown as is, never parsed. */
  readonly text?: string;
  readonly hidden?: boolean;
  readonly dataset?: Readonly<Record<string, string>>;
  readonly onClick?: (event: MouseEvent) => void;
  /** Plain attributes (id, href, title, role, aria-*, colspan …), set with setAttribute. */
  readonly attrs?: Readonly<Record<string, string | number | undefined>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.hidden) node.hidden = true;
  if (props.dataset) Object.assign(node.dataset, props.dataset);
  if (props.onClick) (node as HTMLElement).addEventListener('click', props.onClick);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...flatten(children));
  return node;
}

function flatten(children: readonly Child[]): (Node | string)[] {
  return children.flatMap((child): (Node | string)[] => {
    if (child === null || child === undefined || child === false) return [];
    if (typeof child === 'string' || child instanceof Node) return [child];
    return flatten(child);
  });
}

/** An element of index.html by id, with its type; a missing one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** Like byId, for elements the detail pane adds and removes: null when the pane is not showing them. */
export const maybeById = <T extends HTMLElement = HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;
