/** A tiny element builder: no innerHTML, so nothing the host sends is ever parsed as markup. */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  id?: string;
  title?: string;
  role?: string;
  /** Other attributes (`aria-*`, `data-*`, `type`, `for`…). Never `style`: the CSP forbids it. */
  attrs?: Record<string, string>;
  text?: string;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

/** Creates an element with properties and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  if (props.text !== undefined) el.textContent = props.text;
  for (const [type, listener] of Object.entries(props.on ?? {})) el.addEventListener(type, listener as EventListener);
  for (const c of children) if (c) el.append(c);
  return el;
}

/** Replaces an element's children. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}

/** Sets text only when it changed (keeps screen readers quiet otherwise). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A `<select>` with the given options and selected value. */
export function select(id: string, label: string, values: readonly string[], selected: string, onChange: (value: string) => void): HTMLSelectElement {
  const el = h('select', { id, attrs: { 'aria-label': label }, on: { change: () => onChange(el.value) } });
  for (const v of values) el.append(h('option', { text: v, attrs: { value: v } }));
  el.value = selected;
  return el;
}

/** Toggles the `hidden` attribute (CSS hides it; no inline style). */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}
