import { TOPIC_FILTER_PREFIX, type WorkflowConfiguration, type WorkflowFilter } from './workflow-filters.ts';

/** The last-agent filters provisioning writes are named so (one per topic: `…: <topic id>`). */
export const LAST_AGENT_FILTER_PREFIX = 'Flexcord last agent';

/** How long a reopened case waits for its last agent before its queue offers it to anyone. */
export const LAST_AGENT_TIMEOUT_SECONDS = 20;

/**
 * The task attribute naming the agent who last had the case (the bot's `task.lastAgent`, carried
 * by the Studio flow; '' when the case had none): a worker's friendly name in Flex.
 */
const LAST_AGENT_ATTRIBUTE = 'task.lastAgent';

/**
 * A Known Agent Routing filter: Flexcord's tasks of `expression` that have a last agent are offered
 * to that worker first (in `target`'s queue, which must hold them: TaskRouter error 40152), for
 * {@link LAST_AGENT_TIMEOUT_SECONDS}, then to that queue like any other task. Tasks without a last
 * agent never enter it, so a first chat waits for nobody.
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
 */
function lastAgentFilter(name: string, expression: string, target: Record<string, unknown>): WorkflowFilter {
  return {
    filter_friendly_name: name,
    expression: `(${expression}) AND lastAgent != ""`,
    targets: [
      { ...target, known_worker_friendly_name: LAST_AGENT_ATTRIBUTE, timeout: LAST_AGENT_TIMEOUT_SECONDS },
      { ...target },
    ],
  };
}

const isOurs = (filter: WorkflowFilter, prefix: string) =>
  String(filter.filter_friendly_name ?? '').startsWith(prefix);

/**
 * The workflow's configuration with a last-agent filter ahead of each Flexcord topic filter (same
 * tasks and queue) and one for every other Discord task ahead of the brand's own filters, falling
 * back to the default filter's queue. The brand's filters, its default filter and every other key
 * stay as they were; last-agent filters written before are replaced, so a second pass changes
 * nothing. Without a default queue there is no general last-agent filter.
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration
 */
export function withLastAgentFilters(configuration: string): string {
  const parsed = JSON.parse(configuration) as WorkflowConfiguration;
  const routing = parsed.task_routing ?? {};
  const defaultQueue = routing.default_filter?.queue;
  const general =
    typeof defaultQueue === 'string' && defaultQueue
      ? lastAgentFilter(LAST_AGENT_FILTER_PREFIX, 'customChannelType == "discord"', { queue: defaultQueue })
      : undefined;
  const filters: WorkflowFilter[] = [];
  let generalPlaced = false;
  for (const filter of routing.filters ?? []) {
    if (isOurs(filter, LAST_AGENT_FILTER_PREFIX)) continue;
    const topic = isOurs(filter, TOPIC_FILTER_PREFIX);
    if (!topic && general && !generalPlaced) {
      filters.push(general);
      generalPlaced = true;
    }
    const target = filter.targets?.[0];
    if (topic && filter.expression && target?.queue) {
      const id = String(filter.filter_friendly_name).slice(TOPIC_FILTER_PREFIX.length);
      filters.push(lastAgentFilter(`${LAST_AGENT_FILTER_PREFIX}: ${id}`, filter.expression, target));
    }
    filters.push(filter);
  }
  if (general && !generalPlaced) filters.push(general);
  return JSON.stringify({ ...parsed, task_routing: { ...routing, filters } });
}

/** The configuration without Flexcord's last-agent filters (what the topic filters are compared on). */
export function withoutLastAgentFilters(configuration: string): string {
  const parsed = JSON.parse(configuration) as WorkflowConfiguration;
  const routing = parsed.task_routing;
  if (!routing?.filters) return configuration;
  const filters = routing.filters.filter((filter) => !isOurs(filter, LAST_AGENT_FILTER_PREFIX));
  return JSON.stringify({ ...parsed, task_routing: { ...routing, filters } });
}
