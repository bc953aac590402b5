/** An emulator or sandbox API refused a call; `message` is what it said. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    /** Discord's JSON error code when Discord (the emulator) refused it: 50013, 40005… */
    readonly discordCode: number | null = null,
    /** Discord's field errors for a 50035 (`{ content: { _errors: [{ code, message }] } }`). */
    readonly errors: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
