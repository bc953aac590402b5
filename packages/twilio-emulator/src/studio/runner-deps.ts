/**
 * What the Studio runner asks of the emulator around it (HTTP calls, Flex hand-over, SIDs, the
 * clock), shared by the runner and its widgets.
 */

/** The request a make-http-request widget makes, before the emulator signs and sends it. */
export interface StudioHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * The widget's "Authenticate with Twilio" box: send the account's credentials. Only set for
   * `*.twilio.com` URLs; the runner takes `failed` for any other host without calling you.
   */
  addTwilioAuth?: boolean;
}

export interface StudioHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SendToFlexRequest {
  workflowSid: string;
  taskChannel: string;
  attributes: Record<string, unknown>;
  priority?: number;
  timeout?: number;
}

export interface FlowRunnerDeps {
  /** Performs a make-http-request call; the emulator signs it (X-Twilio-Signature) and applies the 10 s timeout. Rejects on network error/timeout. */
  httpRequest(request: StudioHttpRequest): Promise<StudioHttpResponse>;
  /** Hands the conversation to Flex (creates the interaction + task). Rejects when it cannot enqueue. */
  sendToFlex(request: SendToFlexRequest): Promise<{ taskSid: string; interactionSid?: string }>;
  now?(): Date;
  newSid(prefix: 'FN' | 'FT'): string;
}
