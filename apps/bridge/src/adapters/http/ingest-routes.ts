import express, { Router } from 'express';
import {
  type IngestItem,
  IngestItemSchema,
  type IngestOutcome,
} from '../../domain/announcements/ingest-item.ts';
import { safeDeep } from '../../infrastructure/util/safe-text.ts';
import { badRequest, HttpError } from './http-errors.ts';
import { MIN_SECRET_LENGTH, requireIngestSignature } from './ingest-signature.ts';

export interface IngestRoutesDeps {
  secret: string;
  now: () => Date;
  ingest(item: IngestItem): Promise<IngestOutcome>;
}

/**
 * `POST /ingest/announcements`: a signed JSON item (see `README.md` beside this file) → 202
 * `{status: "accepted"}` once its post is in the outbox, 200 `{status: "duplicate"}` for an id
 * already posted, 401 for a bad or stale signature, 400 for a bad body or an unknown source.
 */
export function ingestRoutes(deps: IngestRoutesDeps): Router {
  if (deps.secret.length < MIN_SECRET_LENGTH)
    throw new Error(`the announcements ingest secret must be at least ${MIN_SECRET_LENGTH} characters`);
  const router = Router();
  // The signature covers the exact bytes sent, so the body is kept raw until it is verified.
  const raw = express.raw({ type: () => true, limit: '64kb' });

  router.post(
    '/ingest/announcements',
    raw,
    requireIngestSignature(deps.secret, deps.now),
    async (req, res) => {
      let body: unknown;
      try {
        body = safeDeep(JSON.parse((req.body as Buffer).toString('utf8')));
      } catch (error) {
        throw new HttpError(400, 'invalid_json', 'the body must be a JSON object', undefined, {
          cause: error,
        });
      }
      const parsed = IngestItemSchema.safeParse(body);
      if (!parsed.success) throw badRequest(parsed.error, 'announcement');
      const outcome = await deps.ingest(parsed.data);
      if (outcome === 'unknown_source')
        throw new HttpError(
          400,
          'unknown_source',
          `source "${parsed.data.source}" is not one of the configured ingest sources`,
        );
      if (outcome === 'duplicate') res.status(200).json({ status: 'duplicate' });
      else res.status(202).json({ status: 'accepted' });
    },
  );
  return router;
}
