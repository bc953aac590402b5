export { type BridgeOptions, type RunningBridge, startBridge } from './bridge.ts';
export { type Config, ConfigError, ConfigSchema, loadConfig } from './config.ts';
export { type Database, openDatabase } from './db/database.ts';
export { migrate } from './db/migrate.ts';
export { slashCommands } from './discord/commands.ts';
export {
  type DiscordTarget,
  freePort,
  type LocalBridge,
  prepareLocalBridge,
  type TwilioTarget,
} from './local-bridge.ts';
export { createLogger } from './logger.ts';
export {
  connectTwilioToBridge,
  type DeployedFlow,
  DISCORD_INBOUND_FLOW,
  DISCORD_INBOUND_FLOW_NAME,
  deployFlow,
  type FlowPlaceholders,
  renderFlowDefinition,
} from './twilio/deploy-flow.ts';
