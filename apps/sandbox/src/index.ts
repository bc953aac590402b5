export { AnnouncementsFeed, type FeedItem } from './announcements-feed.ts';
export { ensureBundles } from './bundles.ts';
export { loadSandboxConfig, type SandboxConfig, SandboxConfigSchema } from './config.ts';
export { PortInUseError } from './ports.ts';
export { type RunningSandbox, type SandboxOptions, startSandbox } from './sandbox.ts';
export { IDS, MEMBERS, starfallFixture } from './world.ts';
