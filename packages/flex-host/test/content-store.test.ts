import { createElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ContentStore } from '../src/browser/content-store.ts';
import { Signal } from '../src/browser/host-state.ts';

interface Props {
  task?: { attributes: Record<string, unknown> };
}

const item = (key: string) => createElement('span', { key });
const keys = (elements: ReactElement[]) => elements.map((element) => element.key);
const discord = { task: { attributes: { channelType: 'discord' } } };
const web = { task: { attributes: { channelType: 'web' } } };

describe("a component's Content in the host", () => {
  it('renders the defaults, then what was added, by sortOrder and align', () => {
    const store = new ContentStore<Props>('MessageInputActions', new Signal());
    store.add(item('late'));
    store.add(item('first'), { sortOrder: -1 });
    store.add(item('start'), { align: 'start' });
    expect(keys(store.render({}, [item('attach'), item('send')]))).toEqual([
      'start',
      'first',
      'attach',
      'send',
      'late',
    ]);
  });

  it('leaves out what its "if" refuses for these props', () => {
    const store = new ContentStore<Props>('CRMContainer', new Signal());
    store.add(item('panel'), { if: (props) => props.task?.attributes.channelType === 'discord' });
    expect(keys(store.render(discord, [item('placeholder')]))).toEqual(['placeholder', 'panel']);
    expect(keys(store.render(web, [item('placeholder')]))).toEqual(['placeholder']);
  });

  it('lets a replace take the defaults’ place only where it applies', () => {
    const store = new ContentStore<Props>('CRMContainer', new Signal());
    store.replace(item('panel'), { if: (props) => props.task?.attributes.channelType === 'discord' });
    expect(keys(store.render(discord, [item('placeholder')]))).toEqual(['panel']);
    expect(keys(store.render(web, [item('placeholder')]))).toEqual(['placeholder']);
  });

  it('passes the component props to each child, unless told not to', () => {
    const store = new ContentStore<Props>('TaskInfoPanel', new Signal());
    store.add(item('with'));
    store.add(item('without'), { noChildProps: true });
    const [withProps, withoutProps] = store.render(discord);
    expect(withProps?.props).toMatchObject(discord);
    expect(withoutProps?.props).not.toHaveProperty('task');
  });

  it('removes a child by key, and a second add with the same key replaces the first', () => {
    const store = new ContentStore<Props>('MessageInputActions', new Signal());
    store.add(createElement('span', { key: 'kb', title: 'old' }));
    store.add(createElement('span', { key: 'kb', title: 'new' }));
    store.remove('attach');
    const rendered = store.render({}, [item('attach'), item('send')]);
    expect(keys(rendered)).toEqual(['send', 'kb']);
    expect(rendered[1]?.props.title).toBe('new');
  });

  it('refuses a child without a key, as every Flex content fragment needs one', () => {
    const store = new ContentStore<Props>('CRMContainer', new Signal());
    expect(() => store.add(createElement('span'))).toThrow(/needs a key/);
  });

  it('tells the page to re-render when a plugin adds something', () => {
    const changes = new Signal();
    let renders = 0;
    changes.subscribe(() => {
      renders += 1;
    });
    new ContentStore<Props>('CRMContainer', changes).add(item('panel'));
    expect(renders).toBe(1);
  });
});
