import type { KnownDeviation } from './check.ts';

/**
 * Where the emulator knowingly differs from what twilio-node documents, each with its reason.
 * The conformance suite fails on any difference not listed here, and on an entry that no longer
 * happens. Keep the README's "Not like Twilio" section in step.
 */
export const KNOWN_DEVIATIONS: KnownDeviation[] = [
  {
    operation: 'POST /iam/v1/Accounts/:accountSid/Tokens/validate',
    problem: 'twilio-node has no such operation',
    reason:
      "Flex token validation (what twilio-flex-token-validator calls) is not in twilio-node's generated " +
      'resources; its answer is held to the validator package by its own tests.',
  },
  {
    operation: /^(GET|POST|DELETE|OPTIONS) \/mcs\/v1\//,
    problem: 'twilio-node has no such operation',
    reason:
      'The Media Content Service (mcs.us1.twilio.com) is not in twilio-node; the Conversations client SDK ' +
      'and Flex upload to it. OPTIONS is the CORS preflight a browser sends first.',
  },
  {
    operation: 'GET /flex-api/v1/Configuration',
    problem: /^missing field /,
    reason:
      'The emulator answers only the Flex Configuration fields Flexcord reads (the account, the TaskRouter ' +
      'workspace, the Conversations service); the Flex UI settings are not modelled.',
  },
  {
    operation: 'GET /flex-api/v1/Configuration',
    problem: 'extra field conversations_service_sid',
    reason:
      'Not a documented field and nothing reads it (the service is /conversations/v1/Configuration ' +
      'default_chat_service_sid); interactions.ts is being reworked for #26 at the same time: drop it there.',
  },
  {
    operation: /^POST \/serverless-upload\/v1\/Services\/:service\/Assets\/:asset\/Versions$/,
    problem: 'twilio-node has no such operation',
    reason:
      'Asset versions are uploaded to serverless-upload.twilio.com as multipart (Path, Visibility, Content), ' +
      "which twilio-node's generated resources do not cover; the Plugins CLI posts it directly, as provisioning does.",
  },
  {
    operation: /^GET \/_runtime\//,
    problem: /^(twilio-node has no such operation|error body is not a JSON object)$/,
    reason:
      "Not a Twilio API: the emulator's stand-in for a deployed Serverless domain (https://<domain>.twil.io/<path>), " +
      'from which Flex loads the plugin bundle; it answers files, and its 403/404 are not REST errors.',
  },
];
