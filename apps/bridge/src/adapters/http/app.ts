import express, { type Express, type Router } from 'express';
import type { Logger } from '../../infrastructure/logger.ts';
import { errorMiddleware, notFound } from './http-errors.ts';
import type { Metrics } from './metrics.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** Whether the bridge can do its job now (database answers, Discord connected). */
  readiness(): Promise<{ ready: boolean; checks: Record<string, boolean | number[]> }>;
  routers: Router[];
  /** Reverse proxies whose `X-Forwarded-For` is trusted (see `TRUST_PROXY_HOPS`). */
  trustProxyHops?: number;
}

/** Builds the bridge's Express app (never listens: `main.ts` and tests do). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops ?? 0);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await deps.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  for (const router of deps.routers) app.use(router);
  app.use(notFound);
  app.use(errorMiddleware(deps.logger));
  return app;
}
