import type { Twilio } from 'twilio';
import type { PlannedAction } from './apply-plan.ts';
import { LAST_AGENT_TIMEOUT_SECONDS, withLastAgentFilters } from './last-agent-filters.ts';
import { sameConfiguration } from './workflow-filters.ts';

/**
 * Known Agent Routing in the chat workflow: a reopened case's task (its `lastAgent` attribute set
 * by the bot) is offered to that agent first, then to its queue (see {@link withLastAgentFilters}).
 * Planned after the help topics' filters: when those change (`afterPending`), this writes again on
 * top of them, reading the workflow as it is then. Idempotent: a workflow already routing so is
 * left alone.
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
 * @see https://www.twilio.com/docs/taskrouter/api/workflow#update-a-workflow-resource
 */
export function planLastAgentRouting(input: {
  client: Twilio;
  workspace: { sid: string };
  workflow: { sid: string; friendlyName: string; configuration: string };
  /** Whether an earlier action of the plan changes the workflow's filters. */
  afterPending: boolean;
  call: <T>(work: () => Promise<T>, what: string) => Promise<T>;
}): PlannedAction {
  const { client, workspace, workflow, call } = input;
  const resource = `Workflow "${workflow.friendlyName}" (last agent first)`;
  const detail = `a reopened case is offered to its last agent for ${LAST_AGENT_TIMEOUT_SECONDS} s, then to its queue`;
  const current = workflow.configuration;
  if (!input.afterPending && sameConfiguration(withLastAgentFilters(current), current))
    return { side: 'twilio', resource, action: 'unchanged', detail };
  return {
    side: 'twilio',
    resource,
    action: 'update',
    detail,
    apply: async () => {
      const ws = client.taskrouter.v1.workspaces(workspace.sid);
      const now = input.afterPending
        ? (await call(() => ws.workflows(workflow.sid).fetch(), 'TaskRouter workflow')).configuration
        : current;
      const configuration = withLastAgentFilters(now);
      if (sameConfiguration(configuration, now)) return 'already routing so';
      await call(() => ws.workflows(workflow.sid).update({ configuration }), 'TaskRouter workflow');
      return undefined;
    },
  };
}
