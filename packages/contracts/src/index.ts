export * from './cases.ts';
export * from './conversations-webhooks.ts';
export * from './discord-context.ts';
export * from './json-string.ts';
export * from './kb.ts';
export * from './plugin-api.ts';
export * from './studio-bot.ts';
export * from './taskrouter-events.ts';
