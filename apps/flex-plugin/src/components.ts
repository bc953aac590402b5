/**
 * The plugin's components for a host other than Flex (the sandbox's agent desktop, a test page):
 * give each an `AgentContext` and wrap them in Paste's `CustomizationProvider`.
 */
export type { AgentContext, AgentProps, AgentTask } from './agent/agent-context.ts';
export { CannedRepliesView } from './features/canned-replies/canned-replies-view.tsx';
export { DISCORD_BLURPLE, DiscordIcon } from './features/discord-channel/discord-icon.tsx';
export { kbAnswer } from './features/kb-insert/kb-answer.ts';
export { KbInsertButton } from './features/kb-insert/kb-insert-button.tsx';
export { CasePanel } from './shared/case/case-panel.tsx';
