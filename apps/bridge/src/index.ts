export { slashCommands } from './adapters/discord/commands.ts';
export { UseLiteEmbedder } from './adapters/embeddings/use-lite-embedder.ts';
export { type BridgeOptions, type RunningBridge, startBridge } from './bridge.ts';
export { type Config, ConfigError, ConfigSchema, loadConfig } from './config.ts';
export { ApertiumTranslator } from './domain/kb/article-translator.ts';
export { KbService, type KbStages } from './domain/kb/kb-service.ts';
export { type Database, openDatabase } from './infrastructure/db/database.ts';
export { migrate } from './infrastructure/db/migrate.ts';
export { createLogger } from './infrastructure/logger.ts';
