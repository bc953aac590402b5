import type { LocalStack } from '@flexcord/testkit';
import { provisionPart } from './run-provision.ts';

/**
 * Writes the help topics' queues and workflow filters into the Twilio emulator exactly as going
 * live does — `npm run provision -- --only topics` in its own process, with `HELP_TOPICS` set to
 * `topicsFile` — so a topic's chat reaches Flex routed by its filter.
 */
export async function provisionTopics(
  local: LocalStack,
  topicsFile: string,
  log: (line: string) => void,
): Promise<void> {
  const stdout = await provisionPart(local, 'topics', { HELP_TOPICS: topicsFile });
  const filters = stdout.split('\n').find((line) => line.includes('help topic filters'));
  if (filters) log(filters.trim());
}
