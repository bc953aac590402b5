import { createLogger } from '../../src/infrastructure/logger.ts';

/** A logger for tests: silent unless TEST_LOG_LEVEL asks otherwise. */
export const quietLogger = () => createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
