import type { z } from 'zod';
import { SendToFlexPropertiesSchema } from '../flow-definition.ts';
import type { SendToFlexRequest } from '../runner-deps.ts';
import { errorMessage, type WidgetOutcome, type WidgetRun, widgetProperties } from './widget.ts';

/**
 * Send to Flex: renders `workflow`, `channel`, `priority`, `timeout` and the `attributes` JSON
 * template, and hands the conversation to Flex through `deps.sendToFlex`. `callComplete` once the
 * task exists ("for Messages, triggered as soon as the TaskRouter Task is created"),
 * `failedToEnqueue` when the attributes are not a JSON object, a number does not parse, or Flex
 * refuses the task. `callFailure` applies to voice calls only and is never taken here.
 *
 * The widget's context is `{sid}` (the task SID), plus `interaction_sid` when Flex reports one.
 *
 * @see https://www.twilio.com/docs/studio/widget-library/send-flex
 */
export async function runSendToFlex(run: WidgetRun): Promise<WidgetOutcome> {
  const properties = widgetProperties(SendToFlexPropertiesSchema, run.state);
  const request = buildRequest(properties, run.render);
  if (typeof request === 'string') return { event: 'failedToEnqueue', stepContext: { error: request } };
  try {
    const { taskSid, interactionSid } = await run.deps.sendToFlex(request);
    return {
      event: 'callComplete',
      output: { sid: taskSid, ...(interactionSid === undefined ? {} : { interaction_sid: interactionSid }) },
    };
  } catch (error) {
    return {
      event: 'failedToEnqueue',
      stepContext: { error: `Flex did not enqueue: ${errorMessage(error)}` },
    };
  }
}

function buildRequest(
  properties: z.output<typeof SendToFlexPropertiesSchema>,
  render: (template: string) => string,
): SendToFlexRequest | string {
  const workflowSid = render(properties.workflow).trim();
  const taskChannel = render(properties.channel).trim();
  if (!workflowSid) return 'workflow rendered empty';
  if (!taskChannel) return 'channel rendered empty';

  let attributes: Record<string, unknown> = {};
  const renderedAttributes = render(properties.attributes ?? '').trim();
  if (renderedAttributes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(renderedAttributes);
    } catch (error) {
      return `attributes are not valid JSON (${errorMessage(error)}): ${renderedAttributes}`;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return `attributes must be a JSON object: ${renderedAttributes}`;
    }
    attributes = parsed as Record<string, unknown>;
  }

  const priority = integer('priority', properties.priority, render);
  const timeout = integer('timeout', properties.timeout, render);
  if (typeof priority === 'string') return priority;
  if (typeof timeout === 'string') return timeout;
  return {
    workflowSid,
    taskChannel,
    attributes,
    ...(priority === undefined ? {} : { priority }),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/** An optional integer property: absent or blank → undefined; not an integer → an error message. */
function integer(
  name: string,
  template: string | undefined,
  render: (template: string) => string,
): number | undefined | string {
  const text = render(template ?? '').trim();
  if (!text) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : `${name} ${JSON.stringify(text)} is not an integer`;
}
