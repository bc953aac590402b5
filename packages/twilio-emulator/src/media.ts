import { parse as parseContentDisposition } from 'content-disposition';
import { type Request, type RequestHandler, Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { authenticationError, invalidParameter, notFound } from './errors.ts';
import { bodyBuffer } from './http.ts';
import type { FlexTokenService } from './iam.ts';
import { newSid } from './sids.ts';
import type { MediaRecord } from './store.ts';

/**
 * The Media Content Service (MCS) behind Conversations media messages: upload bytes to a
 * Conversations service, get an `ME…` SID to send as a message's `MediaSid`, fetch the metadata
 * with a temporary direct link to the bytes.
 *
 * @see https://www.twilio.com/docs/conversations/media-support-conversations
 */
export class MediaService {
  constructor(private readonly ctx: EmulatorContext) {}

  create(input: {
    data: Buffer;
    contentType: string;
    filename: string | null;
    author?: string;
  }): MediaRecord {
    const media: MediaRecord = {
      sid: newSid('ME'),
      serviceSid: this.ctx.conversationsServiceSid,
      contentType: input.contentType,
      filename: input.filename,
      size: input.data.length,
      data: input.data,
      author: input.author ?? 'system',
      messageSid: null,
      conversationSid: null,
      dateCreated: this.ctx.clock.now(),
    };
    this.ctx.store.media.set(media.sid, media);
    return media;
  }

  get(sid: string): MediaRecord {
    const media = this.ctx.store.media.get(sid);
    if (!media) throw notFound(`/Services/${this.ctx.conversationsServiceSid}/Media/${sid}`);
    return media;
  }

  /** The unauthenticated, "temporary" URL the emulator serves the bytes at. */
  directUrl(media: MediaRecord): string {
    const expires = Math.floor(this.ctx.clock.now().getTime() / 1000) + 300;
    return `${this.ctx.baseUrl()}/_emulator/media/${media.sid}?Expires=${expires}`;
  }

  json(media: MediaRecord): Record<string, unknown> {
    const path = `/v1/Services/${media.serviceSid}/Media/${media.sid}`;
    return {
      sid: media.sid,
      service_sid: media.serviceSid,
      account_sid: this.ctx.accountSid,
      date_created: twilioDate(media.dateCreated),
      date_upload_updated: twilioDate(media.dateCreated),
      date_updated: twilioDate(media.dateCreated),
      links: { content: `${path}/Content`, content_direct_temporary: this.directUrl(media) },
      size: media.size,
      content_type: media.contentType,
      filename: media.filename,
      author: media.author,
      category: 'media',
      message_sid: media.messageSid,
      channel_sid: media.conversationSid,
      url: path,
      is_multipart_upstream: false,
    };
  }
}

/** The file name of a Content-Disposition header, RFC 8187 `filename*` first; none if it has none or is malformed. */
function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return parseContentDisposition(header).parameters.filename;
  } catch {
    return undefined;
  }
}

/** Reads an upload: a multipart form's first file, or the raw body with its Content-Type. */
async function readUpload(
  req: Request,
): Promise<{ data: Buffer; contentType: string; filename: string | null }> {
  const contentType = req.headers['content-type'] ?? 'application/octet-stream';
  const body = bodyBuffer(req);
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    for (const value of form.values()) {
      if (typeof value !== 'string') {
        return {
          data: Buffer.from(await value.arrayBuffer()),
          contentType: value.type || 'application/octet-stream',
          filename: value.name || null,
        };
      }
    }
    throw invalidParameter('The multipart body has no file');
  }
  // Twilio's MCS client sends the name as the `Filename` query parameter (`@twilio/mcs-client`,
  // `Network.post`); a Content-Disposition header (RFC 6266, `filename*=UTF-8''…`) is read too.
  const fromQuery = typeof req.query.Filename === 'string' ? req.query.Filename : undefined;
  const fromHeader = dispositionFilename(req.headers['content-disposition']);
  return {
    data: body,
    contentType: contentType.split(';')[0] ?? contentType,
    filename: fromQuery ?? fromHeader ?? null,
  };
}

/**
 * MCS takes the account's Basic auth (the REST API), or — as the Conversations client SDK in Flex
 * uploads — the user's access token in `X-Twilio-Token`; the upload's `author` is then the token's
 * identity.
 */
export function mcsAuth(basic: RequestHandler, tokens: FlexTokenService): RequestHandler {
  return (req, res, next) => {
    const token = req.headers['x-twilio-token'];
    if (typeof token !== 'string') {
      basic(req, res, next);
      return;
    }
    const check = tokens.validate(token);
    if (check.valid !== true || typeof check.identity !== 'string') {
      next(authenticationError());
      return;
    }
    res.locals.identity = check.identity;
    next();
  };
}

/** Browsers upload to MCS from the Flex page's origin: CORS as for the client SDK. */
export const mcsCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Twilio-Token, Authorization');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

/** MCS routes relative to `/mcs/v1`. */
export function mediaRouter(service: MediaService, ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/Services/:serviceSid', (req, _res, next) => {
    const { serviceSid } = req.params as Record<string, string>;
    next(serviceSid === ctx.conversationsServiceSid ? undefined : notFound(`/Services/${serviceSid}`));
  });
  router.post('/Services/:serviceSid/Media', async (req, res) => {
    const upload = await readUpload(req);
    if (upload.data.length === 0) throw invalidParameter('The media body is empty');
    const author = typeof res.locals.identity === 'string' ? res.locals.identity : undefined;
    res.status(201).json(service.json(service.create({ ...upload, ...(author ? { author } : {}) })));
  });
  router.get('/Services/:serviceSid/Media/:sid', (req, res) => {
    res.json(service.json(service.get(req.params.sid)));
  });
  router.get('/Services/:serviceSid/Media/:sid/Content', (req, res) => {
    const media = service.get(req.params.sid);
    res.type(media.contentType).send(media.data);
  });
  router.delete('/Services/:serviceSid/Media/:sid', (req, res) => {
    ctx.store.media.delete(service.get(req.params.sid).sid);
    res.status(204).end();
  });
  return router;
}
