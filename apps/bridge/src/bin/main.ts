import { startBridge } from '../bridge.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../infrastructure/logger.ts';

/** `npm start -w @flexcord/bridge`: the bridge with its configuration from the environment. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    process.loadEnvFile?.();
  } catch {
    // No .env file: the environment alone configures the bridge.
  }
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let bridge: Awaited<ReturnType<typeof startBridge>>;
  try {
    bridge = await startBridge(config, { logger });
  } catch (error) {
    // Through the logger, which strips credentials from the error (a raw print would not).
    logger.fatal({ err: error }, 'bridge failed to start');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    bridge.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
