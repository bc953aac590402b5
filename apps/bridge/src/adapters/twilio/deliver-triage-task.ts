import type { CasePriority, CaseTriageTaskAttributes } from '@flexcord/contracts';
import type { Twilio } from 'twilio';
import type { CaseService } from '../../domain/cases/case-service.ts';
import { PermanentDeliveryError } from '../../infrastructure/outbox/delivery-errors.ts';
import type { OutboxRow } from '../../infrastructure/outbox/outbox-repository.ts';
import type { TriageTaskPayload } from './outbox-kinds.ts';
import { toDeliveryError } from './twilio-errors.ts';

/** TaskRouter priorities of triage tasks (higher first in the queue). */
const TASK_PRIORITY: Record<CasePriority, number> = { low: 0, normal: 10, high: 20, urgent: 30 };

/**
 * Delivers `twilio.triage-task`: a TaskRouter task for a new bug report or feature request, on its
 * own task channel, through the triage workflow (which puts it in the triage queue), with the
 * attributes the plugin's case panel opens (`caseNumber`); recorded on the case's timeline. A
 * retry first looks for the task an earlier attempt may have made (`EvaluateTaskAttributes`).
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task#create-a-task-resource
 */
export function createTriageTaskDeliverer(client: Twilio, cases: CaseService) {
  return async (payload: TriageTaskPayload, row: OutboxRow) => {
    const found = await cases.find(payload.caseNumber);
    if (!found) throw new PermanentDeliveryError(`case #${payload.caseNumber} vanished`);
    const tasks = client.taskrouter.v1.workspaces(payload.workspaceSid).tasks;
    try {
      const earlier =
        row.attempts > 1
          ? (
              await tasks.list({
                evaluateTaskAttributes: `type == "case_triage" AND caseNumber == ${found.number}`,
                limit: 1,
              })
            )[0]
          : undefined;
      const attributes: CaseTriageTaskAttributes = {
        type: 'case_triage',
        name: `#${found.number} ${found.subject}`.slice(0, 200),
        caseNumber: found.number,
        caseType: found.type,
        subject: found.subject,
        priority: found.priority,
        memberId: found.member.id,
        memberName: found.member.displayName,
        url: found.publicPost?.url ?? null,
      };
      const task =
        earlier ??
        (await tasks.create({
          workflowSid: payload.workflowSid,
          taskChannel: payload.taskChannel,
          priority: TASK_PRIORITY[found.priority],
          attributes: JSON.stringify(attributes),
        }));
      await cases.noteTriageTask(found.number, task.sid);
      return { taskSid: task.sid };
    } catch (error) {
      throw toDeliveryError(error, `triage task of case #${payload.caseNumber}`);
    }
  };
}
