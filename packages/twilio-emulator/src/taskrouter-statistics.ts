import { type Request, Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { invalidParameter } from './errors.ts';
import { paramsOf } from './http.ts';
import { pageOf } from './paging.ts';
import type { TaskRecord, TaskRouterEventRecord, WorkerRecord, WorkspaceRecord } from './store.ts';
import { where } from './store.ts';

/** What the statistics read of TaskRouter (`TaskRouterService`; its queue figures stay its own). */
export interface TaskRouterFigures {
  readonly workspaceSid: string;
  workspace(sid: string): WorkspaceRecord;
  worker(sid: string): WorkerRecord;
  workflowJson(sid: string): Record<string, unknown>;
  realTimeStatisticsJson(queueSid: string, taskChannel?: string): Record<string, unknown>;
  cumulativeStatisticsJson(
    queueSid: string,
    interval: { minutes?: number | undefined; startDate?: Date | undefined; endDate?: Date | undefined },
  ): Record<string, unknown>;
}

/**
 * TaskRouter's statistics beyond a queue's own: the workspace's, the workers', a workflow's and
 * every queue's at once, real-time (what is open now) and cumulative (what happened in an
 * interval: `Minutes`, default 15, or `StartDate`/`EndDate`), each also as a `Statistics` resource
 * holding both. Figures come from the tasks, workers and recorded events of the emulator.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/workspace-statistics
 * @see https://www.twilio.com/docs/taskrouter/api/worker-statistics
 * @see https://www.twilio.com/docs/taskrouter/api/workflow-statistics
 * @see https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics
 */

const PUBLIC_BASE = 'https://taskrouter.twilio.com/v1';
const OPEN = ['pending', 'reserved', 'assigned', 'wrapping'];

interface Interval {
  start: Date;
  end: Date;
}

function intervalOf(req: Request, now: Date): Interval {
  const params = paramsOf(req);
  const date = (name: string) => {
    const value = params.get(name);
    if (value === undefined) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw invalidParameter(`${name} must be an ISO 8601 date-time`);
    return parsed;
  };
  const end = date('EndDate') ?? now;
  const start = date('StartDate') ?? new Date(end.getTime() - (params.int('Minutes') ?? 15) * 60_000);
  return { start, end };
}

function durations(values: number[]) {
  if (values.length === 0) return { avg: 0, min: 0, max: 0, total: 0 };
  const total = values.reduce((a, b) => a + b, 0);
  return {
    avg: Math.round(total / values.length),
    min: Math.min(...values),
    max: Math.max(...values),
    total,
  };
}

export class TaskRouterStatistics {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly service: TaskRouterFigures,
  ) {}

  #openTasks(filter: (t: TaskRecord) => boolean): TaskRecord[] {
    return where(this.ctx.store.tasks, (t) => OPEN.includes(t.assignmentStatus) && filter(t));
  }

  #tasksRealtime(tasks: TaskRecord[]) {
    const now = this.ctx.clock.now().getTime();
    const byStatus: Record<string, number> = { pending: 0, reserved: 0, assigned: 0, wrapping: 0 };
    const byPriority: Record<string, number> = {};
    for (const t of tasks) {
      byStatus[t.assignmentStatus] = (byStatus[t.assignmentStatus] ?? 0) + 1;
      byPriority[String(t.priority)] = (byPriority[String(t.priority)] ?? 0) + 1;
    }
    const waiting = tasks.filter(
      (t) => t.assignmentStatus === 'pending' || t.assignmentStatus === 'reserved',
    );
    const oldest = [...waiting].sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())[0];
    return {
      longest_task_waiting_age: oldest ? Math.floor((now - oldest.dateCreated.getTime()) / 1000) : 0,
      longest_task_waiting_sid: oldest?.sid ?? null,
      tasks_by_priority: byPriority,
      tasks_by_status: byStatus,
      total_tasks: tasks.length,
    };
  }

  #activityStatistics(workers: WorkerRecord[]) {
    return where(this.ctx.store.activities, (a) => a.workspaceSid === this.service.workspaceSid).map((a) => ({
      sid: a.sid,
      friendly_name: a.friendlyName,
      workers: workers.filter((w) => w.activitySid === a.sid).length,
    }));
  }

  #events(interval: Interval, filter: (e: TaskRouterEventRecord) => boolean = () => true) {
    return this.ctx.store.taskRouterEvents.filter(
      (e) => e.date >= interval.start && e.date <= interval.end && filter(e),
    );
  }

  /** The figures every cumulative statistics resource shares. */
  #cumulative(events: TaskRouterEventRecord[], interval: Interval) {
    const count = (type: string) => events.filter((e) => e.eventType === type).length;
    const ages = (type: string) =>
      events.filter((e) => e.eventType === type).map((e) => Number(e.data.TaskAge ?? 0));
    const accepted = durations(ages('reservation.accepted'));
    return {
      start_time: twilioDate(interval.start),
      end_time: twilioDate(interval.end),
      avg_task_acceptance_time: accepted.avg,
      reservations_created: count('reservation.created'),
      reservations_accepted: count('reservation.accepted'),
      reservations_rejected: count('reservation.rejected'),
      reservations_timed_out: count('reservation.timeout'),
      reservations_canceled: count('reservation.canceled'),
      reservations_rescinded: count('reservation.rescinded'),
      split_by_wait_time: null,
      wait_duration_until_accepted: accepted,
      wait_duration_until_canceled: durations(ages('task.canceled')),
      tasks_canceled: count('task.canceled'),
      tasks_completed: count('task.completed'),
      tasks_deleted: count('task.deleted'),
      tasks_moved: count('task-queue.moved'),
      tasks_timed_out_in_workflow: count('workflow.timeout'),
      count,
    };
  }

  #workers(): WorkerRecord[] {
    return where(this.ctx.store.workers, (w) => w.workspaceSid === this.service.workspaceSid);
  }

  // ---- workspace -----------------------------------------------------------------------------

  workspaceRealtime() {
    const workers = this.#workers();
    return {
      account_sid: this.ctx.accountSid,
      activity_statistics: this.#activityStatistics(workers),
      ...this.#tasksRealtime(this.#openTasks((t) => t.workspaceSid === this.service.workspaceSid)),
      total_workers: workers.length,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/RealTimeStatistics`,
    };
  }

  workspaceCumulative(interval: Interval) {
    const { count, ...figures } = this.#cumulative(this.#events(interval), interval);
    return {
      account_sid: this.ctx.accountSid,
      ...figures,
      tasks_created: count('task.created'),
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/CumulativeStatistics`,
    };
  }

  workspaceStatistics(interval: Interval) {
    const { account_sid: _a, workspace_sid: _w, url: _r, ...realtime } = this.workspaceRealtime();
    const { account_sid: _b, workspace_sid: _x, url: _c, ...cumulative } = this.workspaceCumulative(interval);
    return {
      realtime,
      cumulative,
      account_sid: this.ctx.accountSid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Statistics`,
    };
  }

  // ---- task queues ---------------------------------------------------------------------------

  taskQueueStatistics(queueSid: string, interval: Interval, taskChannel?: string) {
    const {
      account_sid,
      workspace_sid,
      task_queue_sid,
      url: _r,
      ...realtime
    } = this.service.realTimeStatisticsJson(queueSid, taskChannel);
    const {
      account_sid: _a,
      workspace_sid: _w,
      task_queue_sid: _q,
      url: _c,
      ...cumulative
    } = this.service.cumulativeStatisticsJson(queueSid, {
      startDate: interval.start,
      endDate: interval.end,
    });
    return {
      account_sid,
      cumulative,
      realtime,
      task_queue_sid,
      workspace_sid,
      url: `${PUBLIC_BASE}/Workspaces/${String(workspace_sid)}/TaskQueues/${String(task_queue_sid)}/Statistics`,
    };
  }

  // ---- workers -------------------------------------------------------------------------------

  workersRealtime() {
    const workers = this.#workers();
    return {
      account_sid: this.ctx.accountSid,
      activity_statistics: this.#activityStatistics(workers),
      total_workers: workers.length,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workers/RealTimeStatistics`,
    };
  }

  workersCumulative(interval: Interval, workerSid?: string) {
    const events = this.#events(interval, (e) => !workerSid || e.data.WorkerSid === workerSid);
    const { count } = this.#cumulative(events, interval);
    return {
      account_sid: this.ctx.accountSid,
      start_time: twilioDate(interval.start),
      end_time: twilioDate(interval.end),
      activity_durations: [],
      reservations_created: count('reservation.created'),
      reservations_accepted: count('reservation.accepted'),
      reservations_rejected: count('reservation.rejected'),
      reservations_timed_out: count('reservation.timeout'),
      reservations_canceled: count('reservation.canceled'),
      reservations_rescinded: count('reservation.rescinded'),
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workers/CumulativeStatistics`,
    };
  }

  workersStatistics(interval: Interval) {
    const { account_sid: _a, workspace_sid: _w, url: _r, ...realtime } = this.workersRealtime();
    const { account_sid: _b, workspace_sid: _x, url: _c, ...cumulative } = this.workersCumulative(interval);
    return {
      realtime,
      cumulative,
      account_sid: this.ctx.accountSid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workers/Statistics`,
    };
  }

  workerStatistics(workerSid: string, interval: Interval) {
    const worker = this.service.worker(workerSid);
    const {
      account_sid: _a,
      workspace_sid: _w,
      url: _c,
      ...cumulative
    } = this.workersCumulative(interval, worker.sid);
    return {
      account_sid: this.ctx.accountSid,
      cumulative,
      worker_sid: worker.sid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workers/${worker.sid}/Statistics`,
    };
  }

  // ---- workflows -----------------------------------------------------------------------------

  workflowRealtime(workflowSid: string) {
    this.service.workflowJson(workflowSid);
    return {
      account_sid: this.ctx.accountSid,
      ...this.#tasksRealtime(this.#openTasks((t) => t.workflowSid === workflowSid)),
      workflow_sid: workflowSid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workflows/${workflowSid}/RealTimeStatistics`,
    };
  }

  workflowCumulative(workflowSid: string, interval: Interval) {
    this.service.workflowJson(workflowSid);
    const { count, ...figures } = this.#cumulative(
      this.#events(interval, (e) => e.data.WorkflowSid === workflowSid),
      interval,
    );
    return {
      account_sid: this.ctx.accountSid,
      ...figures,
      tasks_entered: count('task-queue.entered'),
      workflow_sid: workflowSid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workflows/${workflowSid}/CumulativeStatistics`,
    };
  }

  workflowStatistics(workflowSid: string, interval: Interval) {
    const {
      account_sid: _a,
      workspace_sid: _w,
      workflow_sid: _f,
      url: _r,
      ...realtime
    } = this.workflowRealtime(workflowSid);
    const {
      account_sid: _b,
      workspace_sid: _x,
      workflow_sid: _g,
      url: _c,
      ...cumulative
    } = this.workflowCumulative(workflowSid, interval);
    return {
      account_sid: this.ctx.accountSid,
      cumulative,
      realtime,
      workflow_sid: workflowSid,
      workspace_sid: this.service.workspaceSid,
      url: `${PUBLIC_BASE}/Workspaces/${this.service.workspaceSid}/Workflows/${workflowSid}/Statistics`,
    };
  }
}

/**
 * The statistics routes, relative to `/taskrouter/v1`; mounted before the resources' own routes
 * so that `/TaskQueues/Statistics` and `/Workers/Statistics` are not read as a SID.
 */
export function taskRouterStatisticsRouter(
  statistics: TaskRouterStatistics,
  service: TaskRouterFigures,
  ctx: EmulatorContext,
): Router {
  const router = Router();
  const ws = (req: Request) => service.workspace(String(req.params.ws)).sid;
  const interval = (req: Request) => intervalOf(req, ctx.clock.now());

  router.get('/Workspaces/:ws/Statistics', (req, res) => {
    ws(req);
    res.json(statistics.workspaceStatistics(interval(req)));
  });
  router.get('/Workspaces/:ws/RealTimeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workspaceRealtime());
  });
  router.get('/Workspaces/:ws/CumulativeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workspaceCumulative(interval(req)));
  });
  router.get('/Workspaces/:ws/TaskQueues/Statistics', (req, res) => {
    const sid = ws(req);
    const params = paramsOf(req);
    const friendlyName = params.get('FriendlyName');
    const items = where(
      ctx.store.taskQueues,
      (q) => q.workspaceSid === sid && (!friendlyName || q.friendlyName === friendlyName),
    ).map((q) => {
      const { url: _url, ...item } = statistics.taskQueueStatistics(
        q.sid,
        interval(req),
        params.get('TaskChannel'),
      );
      return item;
    });
    res.json(pageOf(req, items, 'task_queues_statistics', ctx.baseUrl()));
  });
  router.get('/Workspaces/:ws/TaskQueues/:sid/Statistics', (req, res) => {
    ws(req);
    res.json(statistics.taskQueueStatistics(req.params.sid, interval(req), paramsOf(req).get('TaskChannel')));
  });
  router.get('/Workspaces/:ws/Workers/Statistics', (req, res) => {
    ws(req);
    res.json(statistics.workersStatistics(interval(req)));
  });
  router.get('/Workspaces/:ws/Workers/RealTimeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workersRealtime());
  });
  router.get('/Workspaces/:ws/Workers/CumulativeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workersCumulative(interval(req)));
  });
  router.get('/Workspaces/:ws/Workers/:sid/Statistics', (req, res) => {
    ws(req);
    res.json(statistics.workerStatistics(req.params.sid, interval(req)));
  });
  router.get('/Workspaces/:ws/Workflows/:sid/Statistics', (req, res) => {
    ws(req);
    res.json(statistics.workflowStatistics(req.params.sid, interval(req)));
  });
  router.get('/Workspaces/:ws/Workflows/:sid/RealTimeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workflowRealtime(req.params.sid));
  });
  router.get('/Workspaces/:ws/Workflows/:sid/CumulativeStatistics', (req, res) => {
    ws(req);
    res.json(statistics.workflowCumulative(req.params.sid, interval(req)));
  });
  return router;
}
