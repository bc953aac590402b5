import { isFlexcordTask } from '@flexcord/contracts';

/**
 * What the plugin's components need from whoever hosts them: the task in front of the agent, the
 * agent's token for the bridge, where the bridge is, and a way to put text into the reply box.
 * Flex provides it through `withFlexAgentContext`; any other host (a test page, the sandbox's agent
 * desktop) can build one by hand, so the components never touch Flex directly.
 */
export interface AgentContext {
  task: AgentTask;
  /** The agent's Flex token, sent to the bridge as `Authorization: Bearer`. */
  token: string;
  /** The bridge's base URL, without a trailing slash (`http://localhost:3000`). */
  apiBaseUrl: string;
  /** Puts `text` into the reply box of the task's conversation (after what is typed), never sends it. */
  insertText(text: string): Promise<void> | void;
  /** Opens a case in the Cases view (where the host has one). */
  openCase?(caseNumber: number): void;
  /**
   * The member's last message in this chat (see `lastMemberMessage`), what look-ups start from;
   * absent when the host has no chat state or the member has said nothing.
   */
  memberQuestion?: string;
  /** Shows a notice in the host's notification bar (Flex's `Notifications`), where it has one. */
  notify?(notice: 'caseSaved', context: { number: number; change: string }): void;
}

/** Who is looking at a view that is not about one task (the case desk, the figures): the token and the bridge. */
export interface DeskContext {
  token: string;
  apiBaseUrl: string;
}

/** The slice of a Flex task the components read. */
export interface AgentTask {
  sid: string;
  attributes: Readonly<Record<string, unknown>>;
  conversationSid?: string;
  /** Flex's task status (`pending`, `accepted`, `wrapping`, `completed`…), when the host knows it. */
  status?: string;
}

/** Props of every component that renders for an agent. */
export interface AgentProps {
  agent: AgentContext;
}

/** The case number a task carries (`caseNumber` attribute, a number or a numeric string), if any. */
export function caseNumberOf(attributes: Readonly<Record<string, unknown>>): number | null {
  const value = attributes.caseNumber;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : null;
}

/**
 * Whether the task is a Discord chat: by Flexcord's own `customChannelType`, since Flex writes
 * `channelType` itself on Conversations tasks (`web` for a chat); a task from before that, with
 * `channelType: 'discord'`, still counts.
 */
export function isDiscordTask(attributes: Readonly<Record<string, unknown>>): boolean {
  return isFlexcordTask(attributes);
}

/** Where the text goes when the reply box already holds a draft: after it, on its own line. */
export function appendToDraft(draft: string, text: string): string {
  if (draft.trim() === '') return text;
  return `${draft.replace(/\s+$/, '')}\n${text}`;
}
