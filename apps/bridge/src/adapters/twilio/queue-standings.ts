import type { Twilio } from 'twilio';
import type { QueueStandings } from '../../domain/chat/waiting-room.ts';
import { isTwilioRestError } from './twilio-errors.ts';

/** How far back the queue's cumulative statistics are read for the estimate. */
const STATISTICS_MINUTES = 60;

/**
 * Where a chat's Flex task stands, from TaskRouter: its position is one plus the tasks waiting
 * (`pending` or `reserved`) in the same queue that TaskRouter assigns before it — higher priority,
 * or the same priority and in the queue longer. The wait is estimated from the queue's cumulative
 * statistics over the last hour: the average wait until a task was accepted
 * (`wait_duration_until_accepted.avg`), once per member ahead and for the member themselves; with
 * no task accepted in that hour there is no estimate, only the position. Only a task still
 * `pending` (not yet offered to an agent) has a standing.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task#read-multiple-task-resources
 * @see https://www.twilio.com/docs/taskrouter/api/task-queue#task-assignment-precedence
 * @see https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics#taskqueue-cumulative-statistics
 */
export function createQueueStandings(
  client: Twilio,
  options: {
    /** Statistics are shared by every chat of a queue for this long (Twilio asks to cache them). */
    cacheMs: number;
    now?: () => number;
  },
): QueueStandings {
  const now = options.now ?? Date.now;
  const averages = new Map<string, { at: number; avgSeconds: number | null }>();

  async function averageWait(workspaceSid: string, queueSid: string): Promise<number | null> {
    const cached = averages.get(queueSid);
    if (cached && now() - cached.at < options.cacheMs) return cached.avgSeconds;
    const statistics = await client.taskrouter.v1
      .workspaces(workspaceSid)
      .taskQueues(queueSid)
      .cumulativeStatistics()
      .fetch({ minutes: STATISTICS_MINUTES });
    const wait = statistics.waitDurationUntilAccepted as { avg?: unknown } | null;
    const avg = typeof wait?.avg === 'number' ? wait.avg : null;
    const avgSeconds = statistics.reservationsAccepted > 0 && avg !== null && avg > 0 ? avg : null;
    averages.set(queueSid, { at: now(), avgSeconds });
    return avgSeconds;
  }

  return {
    async standing({ workspaceSid, taskSid }) {
      const workspace = client.taskrouter.v1.workspaces(workspaceSid);
      let task: Awaited<ReturnType<ReturnType<typeof workspace.tasks>['fetch']>>;
      try {
        task = await workspace.tasks(taskSid).fetch();
      } catch (error) {
        if (isTwilioRestError(error) && error.status === 404) return null;
        throw error;
      }
      if (task.assignmentStatus !== 'pending') return null;
      const waiting = await workspace.tasks.list({
        taskQueueSid: task.taskQueueSid,
        assignmentStatus: ['pending', 'reserved'],
        ordering: 'Priority:desc,DateCreated:asc',
        limit: 1000,
      });
      const entered = (t: { taskQueueEnteredDate: Date | null; dateCreated: Date }) =>
        (t.taskQueueEnteredDate ?? t.dateCreated).getTime();
      // The list is in TaskRouter's order; entering the queue decides between equal priorities
      // (a transferred task keeps its creation date but enters the queue anew), the list's order
      // between equal times (dates have whole seconds).
      const own = waiting.findIndex((other) => other.sid === task.sid);
      const ahead = waiting.filter(
        (other, index) =>
          other.sid !== task.sid &&
          (other.priority > task.priority ||
            (other.priority === task.priority &&
              (entered(other) < entered(task) ||
                (entered(other) === entered(task) && (own === -1 || index < own))))),
      ).length;
      const position = ahead + 1;
      const avgSeconds = await averageWait(workspaceSid, task.taskQueueSid);
      return {
        position,
        waitMinutes: avgSeconds === null ? null : Math.max(1, Math.round((avgSeconds * position) / 60)),
      };
    },
  };
}
