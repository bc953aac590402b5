import type { Express, RequestHandler } from 'express';
import type { EmulatorContext } from './context.ts';
import { conversationsAccountRouter } from './conversations-account.ts';
import { FlexPluginService, flexPluginsRouter } from './flex-plugins.ts';
import { runtimeRouter, ServerlessService, serverlessRouter, serverlessUploadRouter } from './serverless.ts';

/**
 * Mounts what Flex plugin hosting needs: Serverless v1 (`/serverless/v1`), its upload host
 * (`/serverless-upload/v1`), the Flex Plugins API (`/flex-api/v1/PluginService`) and what deployed
 * environments serve (`/_runtime/<domain_name>/…`); and the account-level Conversations reads
 * (`/conversations/v1/Configuration`, `Services`) that provisioning and the smoke check make.
 * Mounted before the Conversations routes.
 */
export function mountPluginHosting(app: Express, ctx: EmulatorContext, auth: RequestHandler) {
  const serverless = new ServerlessService(ctx);
  const plugins = new FlexPluginService(ctx);
  app.use('/conversations/v1', auth, conversationsAccountRouter(ctx));
  app.use('/serverless/v1', auth, serverlessRouter(serverless, ctx));
  app.use('/serverless-upload/v1', auth, serverlessUploadRouter(serverless));
  app.use('/flex-api/v1/PluginService', auth, flexPluginsRouter(plugins, ctx));
  app.use('/_runtime', runtimeRouter(serverless, auth));
  return { serverless, plugins };
}
