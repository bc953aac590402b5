export { type BridgeOptions, type RunningBridge, startBridge } from './bridge.ts';
export { type Config, ConfigError, ConfigSchema, loadConfig } from './config.ts';
export { type Database, openDatabase } from './db/database.ts';
export { migrate } from './db/migrate.ts';
export { slashCommands } from './discord/commands.ts';
export { createLogger } from './logger.ts';
