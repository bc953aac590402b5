/**
 * The package's `./zod` entry ships JavaScript only (its `types` condition points at the `.js`):
 * the schemas are read by name here, so a loose declaration is enough.
 */
declare module 'discord-api-spec/zod' {
  import type { ZodMiniType } from 'zod/mini';

  /** Makes objects built after the call strict (the package's schemas are built at import). */
  export function setStrictObject(strict: boolean): void;
  export const ErrorResponseSchema: ZodMiniType;
  export const RatelimitedResponseSchema: ZodMiniType;
}
