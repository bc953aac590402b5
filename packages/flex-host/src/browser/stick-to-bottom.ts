import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** How close to the bottom (px) still counts as "reading the newest message". */
const NEAR_BOTTOM = 40;

export interface StickToBottom<T extends HTMLElement> {
  /** The scrolling element (the message list). */
  ref: RefObject<T>;
  onScroll(): void;
  /** Messages that arrived while the reader was scrolled up; 0 when they are at the bottom. */
  unseen: number;
  /** Scrolls to the newest message (the "new messages" marker). */
  jump(): void;
}

/**
 * A chat's scrolling: the newest message stays in view as messages arrive (and as images in them
 * load), unless the reader scrolled up — then the arrivals are counted for a "new messages" marker
 * instead. A new `resetKey` (another conversation) starts at the bottom again.
 */
export function useStickToBottom<T extends HTMLElement>(count: number, resetKey?: unknown): StickToBottom<T> {
  const ref = useRef<T>(null);
  const atBottom = useRef(true);
  const seen = useRef(count);
  const [unseen, setUnseen] = useState(0);

  const toBottom = useCallback(() => {
    const element = ref.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key means a new conversation
  useLayoutEffect(() => {
    atBottom.current = true;
    setUnseen(0);
    toBottom();
  }, [resetKey, toBottom]);

  useLayoutEffect(() => {
    if (atBottom.current) {
      toBottom();
      seen.current = count;
      setUnseen(0);
    } else if (count > seen.current) {
      setUnseen(count - seen.current);
    } else {
      seen.current = count;
    }
  }, [count, toBottom]);

  // Content that grows after it was laid out (an image loading) keeps the bottom in view.
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) toBottom();
    });
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    return () => observer.disconnect();
  });

  const lastTop = useRef(0);
  const onScroll = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= NEAR_BOTTOM;
    // Only the reader scrolling up leaves the bottom: a scroll event while content grows (an image
    // loading, the browser's scroll anchoring) does not move the view up, so it keeps following.
    const movedUp = element.scrollTop < lastTop.current - 1;
    lastTop.current = element.scrollTop;
    if (nearBottom) atBottom.current = true;
    else if (movedUp) atBottom.current = false;
    if (atBottom.current) {
      seen.current = count;
      setUnseen(0);
    }
  }, [count]);

  const jump = useCallback(() => {
    atBottom.current = true;
    seen.current = count;
    setUnseen(0);
    toBottom();
  }, [count, toBottom]);

  return { ref, onScroll, unseen, jump };
}
