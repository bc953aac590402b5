/**
 * Flex encodes an agent's identity in a worker's `contact_uri` as `client:` + the identity with
 * `@`, `.` and other characters escaped (`dana_40example_2Ecom`). Both signals of an agent joining
 * — the Conversations participant and the TaskRouter reservation — are compared in plain form.
 */
export function normalizeAgentIdentity(identity: string): string {
  return identity
    .replace(/^client:/, '')
    .replace(/_([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .toLowerCase();
}

/** A readable name for an agent known only by identity: `dana.smith@example.com` → `Dana Smith`. */
export function agentNameFromIdentity(identity: string): string {
  const local = normalizeAgentIdentity(identity).split('@')[0] ?? identity;
  const words = local.split(/[._-]+/).filter(Boolean);
  if (!words.length) return 'An agent';
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
}
