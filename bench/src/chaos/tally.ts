/**
 * What arrived against what was sent, for one direction of the chaos run: every chat's texts in
 * the order they were sent, and what the far end holds for that chat, in the order it holds them.
 */
export interface DirectionTally {
  sent: number;
  /** Distinct sent texts that arrived. */
  delivered: number;
  /** Sent texts that never arrived. */
  lost: number;
  /** Copies beyond the first of a text that arrived more than once. */
  duplicated: number;
  /** Arrived texts that came after a text sent later in the same chat (an inversion with any earlier one). */
  reordered: number;
  /** Pairs of arrived texts of one chat in the opposite order to how they were sent. */
  inversions: number;
  /** Texts at the far end that were never sent (a corrupted or invented message). */
  unexpected: number;
}

/**
 * Tallies one direction. `sent` and `received` map a chat to its texts; a text is counted in its
 * own chat only (the run sends each text once, to one chat), so a message delivered to the wrong
 * chat counts as lost there and unexpected where it landed.
 */
export function tally(sent: Map<string, string[]>, received: Map<string, string[]>): DirectionTally {
  const result: DirectionTally = {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    inversions: 0,
    unexpected: 0,
  };
  for (const [chat, texts] of sent) {
    const position = new Map(texts.map((text, index) => [text, index]));
    const arrived = received.get(chat) ?? [];
    const seen = new Set<string>();
    /** Positions (in sending order) of the first copy of each arrived text, in arrival order. */
    const order: number[] = [];
    for (const text of arrived) {
      const index = position.get(text);
      if (index === undefined) {
        result.unexpected += 1;
      } else if (seen.has(text)) {
        result.duplicated += 1;
      } else {
        seen.add(text);
        order.push(index);
      }
    }
    result.sent += texts.length;
    result.delivered += seen.size;
    result.lost += texts.length - seen.size;
    let latest = -1;
    for (let i = 0; i < order.length; i++) {
      if (order[i]! < latest) result.reordered += 1;
      latest = Math.max(latest, order[i]!);
      for (let j = i + 1; j < order.length; j++) if (order[i]! > order[j]!) result.inversions += 1;
    }
  }
  for (const [chat, texts] of received) if (!sent.has(chat)) result.unexpected += texts.length;
  return result;
}

/** Whether a direction came through intact: everything once, in order, nothing invented. */
export function intact(direction: DirectionTally): boolean {
  return (
    direction.lost === 0 &&
    direction.duplicated === 0 &&
    direction.reordered === 0 &&
    direction.unexpected === 0
  );
}
