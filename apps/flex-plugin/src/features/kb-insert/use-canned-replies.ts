import type { FilledCannedRepliesResponse, FilledCannedReply } from '@flexcord/contracts';
import { useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';

export interface CannedReplies {
  status: 'idle' | 'loading' | 'done' | 'failed';
  language: FilledCannedRepliesResponse['language'] | null;
  replies: readonly FilledCannedReply[];
  error: Error | null;
}

const idle: CannedReplies = { status: 'idle', language: null, replies: [], error: null };

/**
 * The agent's canned replies for this chat, filled by the bridge (the member's language, their
 * name, the agent's, the case, the topic): loaded each time the popover opens, so a reply a
 * supervisor just changed is the one inserted.
 */
export function useCannedReplies(
  api: FlexcordApi,
  conversationSid: string | undefined,
  open: boolean,
): CannedReplies {
  const [state, setState] = useState<CannedReplies>(idle);
  useEffect(() => {
    if (!open || !conversationSid) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, status: 'loading', error: null }));
    api.filledCannedReplies(conversationSid, { signal: controller.signal }).then(
      ({ language, replies }) => {
        if (!controller.signal.aborted) setState({ status: 'done', language, replies, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ ...idle, status: 'failed', error: asError(error) });
      },
    );
    return () => controller.abort();
  }, [api, conversationSid, open]);
  return state;
}

/** Folds case and accents, so “lucia” finds “Lucía” and “sal” finds “Saludo”. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The replies matching `query` (every word, in the title, the text or a tag), titles matches first. */
export function matchCannedReplies(
  replies: readonly FilledCannedReply[],
  query: string,
): FilledCannedReply[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...replies];
  const scored = replies
    .map((reply) => {
      const title = fold(reply.title);
      const all = `${title} ${fold(reply.text)} ${reply.tags.map(fold).join(' ')}`;
      if (!words.every((word) => all.includes(word))) return null;
      return { reply, inTitle: words.filter((word) => title.includes(word)).length };
    })
    .filter((entry): entry is { reply: FilledCannedReply; inTitle: number } => entry !== null);
  return scored.sort((a, b) => b.inTitle - a.inTitle).map((entry) => entry.reply);
}
