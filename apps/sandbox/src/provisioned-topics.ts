import type { LocalStack } from '@flexcord/testkit';
import { provisionPart } from './run-provision.ts';

/**
 * Writes the chat workflow's filters into the Twilio emulator exactly as going live does — `npm run
 * provision -- --only topics` in its own process: the help topics' queues and filters when
 * `topicsFile` is given (`HELP_TOPICS`), so a topic's chat reaches Flex routed by its filter, and
 * always the last-agent filters, so a reopened case goes back to its agent.
 */
export async function provisionTopics(
  local: LocalStack,
  topicsFile: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const stdout = await provisionPart(local, 'topics', topicsFile ? { HELP_TOPICS: topicsFile } : {});
  for (const line of stdout.split('\n'))
    if (line.includes('help topic filters') || line.includes('last agent first')) log(line.trim());
}
