import { ApiError } from './api-error.ts';

export { ApiError };

/** JSON over fetch; control API errors (`{ error: { code, message } }`) become {@link ApiError}s. */
export async function requestJson<T>(
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const form = init.body instanceof FormData;
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined || form ? {} : { 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: form ? (init.body as FormData) : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error =
      (data as {
        error?: { code?: string | number; message?: string; discord_code?: number; errors?: unknown };
        message?: string;
      } | null) ?? {};
    const code = error.error?.code;
    throw new ApiError(
      error.error?.message ?? error.message ?? `${response.status} ${response.statusText}`,
      response.status,
      typeof code === 'string' ? code : null,
      error.error?.discord_code ?? (typeof code === 'number' ? code : null),
      error.error?.errors ?? null,
    );
  }
  return data as T;
}

/**
 * Follows an emulator's Server-Sent Events: `handler(type, data)` for each event. The browser's
 * EventSource reconnects by itself and resumes with `Last-Event-ID`.
 */
export function followEvents(
  url: string,
  types: readonly string[],
  handler: (type: string, data: unknown) => void,
) {
  const source = new EventSource(url);
  for (const type of types) {
    source.addEventListener(type, (event) => handler(type, JSON.parse((event as MessageEvent<string>).data)));
  }
  return () => source.close();
}
