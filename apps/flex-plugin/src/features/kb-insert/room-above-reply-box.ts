/** Space kept between the popover and the chat controls around it. */
export const POPOVER_GAP = 8;
/** The popover's own frame around its content (padding, border, its close button's row). */
const POPOVER_FRAME = 64;
/** Below this the list is unusable: the popover keeps this much and scrolls inside. */
const MIN_CONTENT_HEIGHT = 160;

export interface PopoverRoom {
  /** How far above the button the popover's bottom edge sits: above the reply box's top edge. */
  distance: number;
  /** The tallest the popover's content may be without reaching above the message list. */
  maxHeight: number;
}

/** The reply box's row around `button`: the nearest ancestor that holds a text area (Flex's MessageInput). */
function replyBoxRowOf(button: HTMLElement): HTMLElement | null {
  for (let node = button.parentElement; node; node = node.parentElement)
    if (node.querySelector('textarea')) return node;
  return null;
}

/**
 * The chat's message list: what precedes the reply box's row (or its nearest ancestor that has a
 * predecessor). The controls above it (the task header with End chat) are above its top edge.
 */
function messageListAbove(row: HTMLElement): HTMLElement | null {
  let node: HTMLElement | null = row;
  while (node && !node.previousElementSibling) node = node.parentElement;
  const list = node?.previousElementSibling;
  return list instanceof HTMLElement ? list : null;
}

/**
 * Where the answers popover may open without covering the chat's controls: above the whole reply
 * box (its text area and send button, not only above the small button beside them) and no higher
 * than the top of the message list (below the task header with End chat). Read from the page as
 * laid out now, so it holds at any window size and in any host that nests the reply box's
 * actions inside the reply box's row, as Flex does.
 */
export function roomAboveReplyBox(button: HTMLElement | null, viewportHeight: number): PopoverRoom {
  const fallback = { distance: POPOVER_GAP, maxHeight: Math.round(viewportHeight / 2) };
  if (!button) return fallback;
  const row = replyBoxRowOf(button);
  if (!row) return fallback;
  const rowTop = row.getBoundingClientRect().top;
  const list = messageListAbove(row);
  const ceiling = Math.max(list ? list.getBoundingClientRect().top : 0, 0);
  return {
    distance: Math.max(button.getBoundingClientRect().top - rowTop, 0) + POPOVER_GAP,
    maxHeight: Math.max(Math.floor(rowTop - ceiling - 2 * POPOVER_GAP - POPOVER_FRAME), MIN_CONTENT_HEIGHT),
  };
}
