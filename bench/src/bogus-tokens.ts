import { randomBytes } from 'node:crypto';

const noise = (length: number) =>
  randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
/** A JWE's protected header (the first of its five parts), as a Flex token's has one. */
const JWE_HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');

/**
 * A bogus token of `bytes` characters, never sent before: base64url noise, or (`jwe`) a compact
 * JWE's five parts around noise, which only IAM can tell from a Flex token.
 */
export function bogusToken(shape: string, bytes: number): string {
  return shape === 'jwe'
    ? `${JWE_HEADER}..${noise(16)}.${noise(bytes - JWE_HEADER.length - 16 - 22 - 4)}.${noise(22)}`
    : noise(bytes);
}

/** An address of TEST-NET-2/-3 and the benchmarking range for the `n`-th sender or request. */
export const floodAddress = (n: number) => `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
