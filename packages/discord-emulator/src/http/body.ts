import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from '../errors.ts';
import type { UploadedFile } from '../messages.ts';

/** A parsed request body: the JSON (or `payload_json` plus form fields) and any uploaded files. */
export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
}

/**
 * Reads a request body: JSON, or multipart/form-data with `payload_json` and `files[n]` parts.
 * Invalid JSON answers 50109; an upload over `maxBytes` answers 40005.
 *
 * @see https://discord.com/developers/docs/reference#uploading-files
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<ParsedBody> {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return readMultipart(request, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw apiError(RESTJSONErrorCodes.RequestEntityTooLarge);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { json: undefined, files: [] };
  return { json: parseJson(text), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, { cause: error });
  }
}

function readMultipart(request: IncomingMessage, maxBytes: number): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    let payload: unknown;
    const files: UploadedFile[] = [];
    let failure: Error | null = null;
    const parser = busboy({
      headers: request.headers,
      // Browsers and undici (discord.js) send file names as raw UTF-8; busboy's default reads them
      // as Latin-1 and would turn `résumé.pdf` into `rÃ©sumÃ©.pdf`.
      defParamCharset: 'utf8',
      limits: { fileSize: maxBytes + 1, fields: 50, files: 20 },
    });
    parser.on('field', (name, value) => {
      if (name === 'payload_json') {
        try {
          payload = parseJson(value);
        } catch (error) {
          failure = error as Error;
        }
      } else {
        fields[name] = value;
      }
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure = apiError(RESTJSONErrorCodes.RequestEntityTooLarge);
      });
      stream.on('end', () => {
        files.push({
          field: name,
          filename: info.filename || 'unknown',
          contentType: info.mimeType || 'application/octet-stream',
          data: Buffer.concat(chunks),
        });
      });
    });
    parser.on('error', (error) =>
      reject(apiError(RESTJSONErrorCodes.InvalidFormBodyOrContentType, { cause: error })),
    );
    parser.on('close', () => {
      if (failure) {
        reject(failure);
        return;
      }
      const json =
        payload !== undefined && typeof payload === 'object' && payload !== null
          ? { ...fields, ...payload }
          : (payload ?? fields);
      resolve({ json, files });
    });
    request.pipe(parser);
  });
}
