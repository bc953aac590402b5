import { createHmac, timingSafeEqual } from 'node:crypto';
import { create as contentDisposition } from 'content-disposition';
import { Router } from 'express';
import { HttpError } from './http-errors.ts';

/** How long a transcript's file link works after the transcript was read. */
const LINK_TTL_MS = 24 * 60 * 60 * 1000;
const MEDIA_SID = /^ME[0-9a-f]{32}$/;

/**
 * Links to a transcript's files (Twilio Media, which needs the account's credentials): the bridge
 * signs `mediaSid` and an expiry with a key derived from the auth token, and serves the file to
 * whoever holds an unexpired link — a transcript downloaded from the panel keeps working a day.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly publicBaseUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('flexcord transcript file links').digest();
  }

  private signature(mediaSid: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${mediaSid}.${expires}`).digest('base64url');
  }

  link(mediaSid: string): string {
    const expires = Math.floor((this.now() + LINK_TTL_MS) / 1000);
    const base = this.publicBaseUrl.replace(/\/+$/, '');
    return `${base}/files/${mediaSid}?expires=${expires}&signature=${this.signature(mediaSid, expires)}`;
  }

  /** Throws a 403 (with the reason) unless the link is this bridge's and unexpired. */
  check(mediaSid: string, expires: string | undefined, signature: string | undefined): void {
    if (!MEDIA_SID.test(mediaSid)) throw new HttpError(404, 'file_not_found', 'no such file');
    const at = Number(expires);
    if (!Number.isInteger(at) || !signature)
      throw new HttpError(403, 'invalid_file_link', 'the link lacks its expiry or signature');
    const expected = Buffer.from(this.signature(mediaSid, at));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new HttpError(403, 'invalid_file_link', 'the link is not valid');
    if (at * 1000 < this.now())
      throw new HttpError(403, 'file_link_expired', 'the link has expired: download the transcript again');
  }
}

/** `GET /files/:mediaSid?expires=…&signature=…`: a transcript's file, from Twilio Media. */
export function fileLinkRoutes(deps: {
  links: FileLinks;
  download: (mediaSid: string) => Promise<{ data: Uint8Array; contentType: string; filename: string }>;
}): Router {
  const router = Router();
  router.get('/files/:mediaSid', async (req, res) => {
    const mediaSid = req.params.mediaSid;
    deps.links.check(
      mediaSid,
      typeof req.query.expires === 'string' ? req.query.expires : undefined,
      typeof req.query.signature === 'string' ? req.query.signature : undefined,
    );
    const file = await deps.download(mediaSid).catch((error: unknown) => {
      throw new HttpError(404, 'file_not_found', 'the file is no longer available', undefined, {
        cause: error,
      });
    });
    res.set('content-type', file.contentType);
    // RFC 6266: a Latin-1 fallback name and `filename*=UTF-8''…` for any other script.
    res.set('content-disposition', contentDisposition(file.filename));
    res.set('x-content-type-options', 'nosniff');
    res.send(Buffer.from(file.data));
  });
  return router;
}
