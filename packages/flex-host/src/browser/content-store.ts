import { cloneElement, isValidElement, type Key, type ReactElement } from 'react';
import type { Signal } from './host-state.ts';

/** Options of `Content.add` / `Content.replace`, as in Flex's `ContentFragmentProps`. */
export interface ContentOptions<P> {
  align?: 'start' | 'end';
  sortOrder?: number;
  if?: (props: P) => boolean;
  replace?: boolean;
  noChildProps?: boolean;
}

interface Fragment<P> {
  element: ReactElement;
  options: ContentOptions<P>;
  seq: number;
}

interface Removal<P> {
  key: Key;
  if?: ((props: P) => boolean) | undefined;
}

let sequence = 0;

/**
 * Flex's `DynamicContentStore`: what plugins add to a component's `Content`. `render` gives the
 * children for one set of props — defaults first in their order, added fragments by `sortOrder`
 * (else `align`), fragments whose `if` says no left out, a `replace` fragment taking the defaults'
 * place — each child cloned with the component's props.
 */
export class ContentStore<P extends object> {
  readonly name: string;
  #fragments: Fragment<P>[] = [];
  #removals: Removal<P>[] = [];
  #changes: Signal;

  constructor(name: string, changes: Signal) {
    this.name = name;
    this.#changes = changes;
  }

  add(element: ReactElement, options: ContentOptions<P> = {}): void {
    if (!isValidElement(element)) throw new TypeError(`${this.name}.Content.add: not a React element`);
    if (element.key === null) throw new Error(`${this.name}.Content.add: every child needs a key`);
    this.#fragments = [
      ...this.#fragments.filter((fragment) => fragment.element.key !== element.key),
      { element, options, seq: sequence++ },
    ];
    this.#changes.notify();
  }

  replace(element: ReactElement, options: ContentOptions<P> = {}): void {
    this.add(element, { ...options, replace: true });
  }

  remove(key: Key, options: { if?: (props: P) => boolean } = {}): void {
    this.#removals = [...this.#removals, { key, if: options.if }];
    this.#changes.notify();
  }

  /** The keys added so far, with their options (for tests of a plugin's registrations). */
  get fragments(): ReadonlyArray<{ key: Key | null; options: ContentOptions<P> }> {
    return this.#fragments.map(({ element, options }) => ({ key: element.key, options }));
  }

  render(props: P, defaults: readonly ReactElement[] = []): ReactElement[] {
    const applies = (condition: ((props: P) => boolean) | undefined) => {
      if (!condition) return true;
      try {
        return Boolean(condition(props));
      } catch (error) {
        console.error(`[flex-host] ${this.name}: an "if" condition threw`, error);
        return false;
      }
    };
    const active = this.#fragments.filter((fragment) => applies(fragment.options.if));
    const removed = new Set(
      this.#removals.filter((removal) => applies(removal.if)).map((removal) => removal.key),
    );
    const replaced = active.some((fragment) => fragment.options.replace);
    const base: Fragment<P>[] = replaced
      ? []
      : defaults.map((element, index) => ({
          element,
          options: { sortOrder: index },
          seq: -defaults.length + index,
        }));
    const order = (fragment: Fragment<P>) =>
      fragment.options.sortOrder ?? (fragment.options.align === 'start' ? -Infinity : Infinity);
    return [...base, ...active]
      .filter((fragment) => fragment.element.key === null || !removed.has(fragment.element.key))
      .sort((a, b) => order(a) - order(b) || a.seq - b.seq)
      .map(({ element, options }) => (options.noChildProps ? element : cloneElement(element, props)));
  }
}
