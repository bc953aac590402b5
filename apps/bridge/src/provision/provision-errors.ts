/** Why provisioning stopped; `code` is stable for scripts, `message` says what to do. */
export class ProvisionError extends Error {
  /** The HTTP status of the API answer that caused it, where there was one. */
  readonly status: number | undefined;

  constructor(
    readonly code:
      | 'BAD_FLAGS'
      | 'CONFIG_INVALID'
      | 'NOT_CONFIRMED'
      | 'TWILIO_AUTH'
      | 'TWILIO_MISSING_RESOURCE'
      | 'TWILIO_FLOW_INVALID'
      | 'TWILIO_API'
      | 'DISCORD_AUTH'
      | 'DISCORD_MISSING_PERMISSION'
      | 'DISCORD_GUILD'
      | 'DISCORD_API'
      | 'PLUGIN_BUNDLE_MISSING'
      | 'PLUGIN_VERSION_TAKEN'
      | 'NOTHING_TO_ROLL_BACK'
      | 'APPLY_FAILED',
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProvisionError';
    this.status = options.status;
  }
}
