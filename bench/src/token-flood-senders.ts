/**
 * The flood of `npm run token-flood`, in a process of its own (as an attacker is a machine of its
 * own): the measuring process, with the emulators and the agents, does not share its event loop.
 * Argument: JSON {url, senders, seconds, shape, tokenBytes, addresses}; answers on its IPC channel
 * with {requests, failures, statuses} when the flood ends.
 */
import { bogusToken, floodAddress } from './bogus-tokens.ts';

const { url, senders, seconds, shape, tokenBytes, addresses } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  senders: number;
  seconds: number;
  shape: string;
  tokenBytes: number;
  addresses: string;
};
const statuses = new Map<number, number>();
let requests = 0;
let failures = 0;
const end = performance.now() + seconds * 1000;
const sender = async (n: number) => {
  while (performance.now() < end) {
    const from =
      addresses === 'request'
        ? floodAddress(requests)
        : addresses === 'sender'
          ? floodAddress(n)
          : '198.18.0.1';
    requests += 1;
    const status = await fetch(`${url}/api/cases/1`, {
      headers: { authorization: `Bearer ${bogusToken(shape, tokenBytes)}`, 'x-forwarded-for': from },
    })
      .then(async (response) => {
        await response.body?.cancel();
        return response.status;
      })
      .catch(() => 0);
    if (status === 0) failures += 1;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
};
await Promise.all(Array.from({ length: senders }, (_, n) => sender(n)));
process.send?.({ requests, failures, statuses: Object.fromEntries(statuses) }, () => process.exit(0));
