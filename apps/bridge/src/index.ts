export { slashCommands } from './adapters/discord/commands.ts';
export { type BridgeOptions, type RunningBridge, startBridge } from './bridge.ts';
export { type Config, ConfigError, ConfigSchema, loadConfig } from './config.ts';
export { type Database, openDatabase } from './infrastructure/db/database.ts';
export { migrate } from './infrastructure/db/migrate.ts';
export { createLogger } from './infrastructure/logger.ts';
