import type { Twilio } from 'twilio';
import type { HelpTopic } from '../domain/topics/help-topics.ts';
import type { PlannedAction } from './apply-plan.ts';
import { withoutLastAgentFilters } from './last-agent-filters.ts';
import {
  sameConfiguration,
  TOPIC_FILTER_PREFIX,
  type WorkflowConfiguration,
  type WorkflowFilter,
} from './workflow-filters.ts';

export { TOPIC_FILTER_PREFIX };

/** Who a topic queue offers tasks to: workers with every skill the topic needs (Flex: Workers → Skills). */
export function topicTargetWorkers(topic: HelpTopic): string {
  const skills = topic.routing?.skills ?? [];
  return skills.length ? skills.map((skill) => `routing.skills HAS "${skill}"`).join(' AND ') : '1==1';
}

/** The filter of one routed topic: Flexcord's Discord tasks of that topic → its queue. */
export function topicFilter(topic: HelpTopic, queueSid: string): WorkflowFilter {
  return {
    filter_friendly_name: `${TOPIC_FILTER_PREFIX}${topic.id}`,
    expression: `customChannelType == "discord" AND topic == "${topic.id}"`,
    targets: [{ queue: queueSid }],
  };
}

/**
 * The workflow's configuration with Flexcord's topic filters first (first match wins in
 * TaskRouter, and they match only Flexcord's tasks of a topic) and the brand's own filters after,
 * in their order; the brand's default filter and every other key stay as they were. Filters of
 * topics no longer configured go.
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration
 */
export function withTopicFilters(configuration: string, filters: WorkflowFilter[]): string {
  const parsed = JSON.parse(configuration) as WorkflowConfiguration;
  const routing = parsed.task_routing ?? {};
  const brands = (routing.filters ?? []).filter(
    (filter) => !String(filter.filter_friendly_name ?? '').startsWith(TOPIC_FILTER_PREFIX),
  );
  return JSON.stringify({ ...parsed, task_routing: { ...routing, filters: [...filters, ...brands] } });
}

/**
 * The TaskRouter side of the help topics, in the chat workflow: a queue per topic `routing.queue`
 * (created when missing, its workers those with the topic's skills) and one filter per routed
 * topic (`customChannelType == "discord" AND topic == "<id>"` → its queue), written ahead of the
 * brand's own filters, which are kept. Idempotent: a workflow already routing so is left alone.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task-queue
 * @see https://www.twilio.com/docs/taskrouter/api/workflow#update-a-workflow-resource
 */
export async function planTopicRouting(input: {
  client: Twilio;
  workspace: { sid: string; friendlyName: string };
  workflow: { sid: string; friendlyName: string; configuration: string };
  topics: readonly HelpTopic[];
  call: <T>(work: () => Promise<T>, what: string) => Promise<T>;
}): Promise<PlannedAction[]> {
  const { client, workspace, workflow, call } = input;
  const side = 'twilio' as const;
  const ws = client.taskrouter.v1.workspaces(workspace.sid);
  const actions: PlannedAction[] = [];
  const routed = input.topics.filter((topic) => topic.routing?.queue);

  const queues = await call(() => ws.taskQueues.list({ limit: 200 }), 'TaskRouter task queues');
  const queueSids = new Map(queues.map((queue) => [queue.friendlyName, queue.sid]));
  const wanted = new Map<string, HelpTopic>();
  for (const topic of routed)
    if (!wanted.has(topic.routing!.queue!)) wanted.set(topic.routing!.queue!, topic);
  for (const [name, topic] of wanted) {
    const resource = `Task queue "${name}"`;
    const existing = queueSids.get(name);
    if (existing) {
      actions.push({ side, resource, action: 'unchanged', detail: existing });
      continue;
    }
    const targetWorkers = topicTargetWorkers(topic);
    actions.push({
      side,
      resource,
      action: 'create',
      detail: `for the help topic "${topic.id}", workers: ${targetWorkers}`,
      apply: async () => {
        const created = await call(
          () => ws.taskQueues.create({ friendlyName: name, targetWorkers }),
          'TaskRouter task queue',
        );
        queueSids.set(name, created.sid);
        return `created ${created.sid}`;
      },
    });
  }

  const desired = () =>
    withTopicFilters(
      workflow.configuration,
      routed.map((topic) => topicFilter(topic, queueSids.get(topic.routing!.queue!) ?? '')),
    );
  const resource = `Workflow "${workflow.friendlyName}" (help topic filters)`;
  const names = routed.map((topic) => topic.id).join(', ') || 'none';
  const pending = [...wanted.keys()].some((name) => !queueSids.has(name));
  // The last-agent filters around the topic filters are another action's (plan-last-agent-routing).
  if (
    !pending &&
    sameConfiguration(withoutLastAgentFilters(desired()), withoutLastAgentFilters(workflow.configuration))
  ) {
    actions.push({ side, resource, action: 'unchanged', detail: `topics routed: ${names}` });
    return actions;
  }
  actions.push({
    side,
    resource,
    action: 'update',
    detail: `filters for the topics ${names} ahead of the workflow's own filters (kept)`,
    apply: async () => {
      const configuration = desired();
      await call(() => ws.workflows(workflow.sid).update({ configuration }), 'TaskRouter workflow');
      return `wrote the filters for ${names}`;
    },
  });
  return actions;
}
