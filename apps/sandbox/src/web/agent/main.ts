import { languageOf, translator } from '../member/strings.ts';
import { ApiError, followEvents, requestJson } from '../shared/http.ts';
import type { WorldView } from '../shared/world-view.ts';
import type { FlexHostHandle, HostMessage, HostTaskInput, HostTaskStatus } from './flex-host-handle.ts';
import {
  type AgentView,
  type ConversationMessage,
  MediaContentService,
  type TaskView,
  TwilioControl,
} from './twilio-api.ts';
import './agent.css';

/** The bar is the sandbox's own: it speaks the browser's language, as the page's top bar does. */
const t = translator(languageOf(navigator.language));

declare global {
  interface Window {
    FlexHost?: FlexHostHandle;
    flexHostReady?: Promise<void>;
  }
}

/**
 * The agent desktop's controller, in the Flex host page: signs the agent in with a Flex token from
 * the Twilio emulator, shows their tasks (accept, reject, end chat) and the conversation, and sends
 * the reply box as the agent (Source=SDK) — while the real plugin bundle renders the Discord
 * channel, the case panel and the KB button against the bridge.
 */
const STATUS: Record<TaskView['assignmentStatus'], HostTaskStatus | null> = {
  pending: 'pending',
  reserved: 'pending',
  assigned: 'accepted',
  wrapping: 'wrapping',
  completed: null,
  canceled: null,
};

/** The author of what the bridge writes into a conversation (the virtual agent's answers, notes). */
const BRIDGE_AUTHOR = 'bot';

async function start(): Promise<void> {
  await window.flexHostReady;
  const flexHost = window.FlexHost;
  const bar = document.getElementById('agent-bar');
  if (!flexHost || !bar) throw new Error('the Flex host did not start');
  const host: FlexHostHandle = flexHost;
  const world = await requestJson<WorldView>('/sandbox/world');
  const twilio = new TwilioControl(world.twilioUrl);
  const agents = await twilio.agents();
  let token = '';
  const mcs = new MediaContentService(world.twilioUrl, await twilio.conversationsServiceSid(), () => token);
  host.setServiceConfiguration({ ui_attributes: { flexcord_api_url: world.bridgeUrl } });

  let agent: AgentView = agents[0] as AgentView;
  let tasks: TaskView[] = [];
  let tokenTimer: ReturnType<typeof setTimeout> | undefined;
  let flexToken = '';
  /**
   * Transfer, as a Flex plugin's transfer action does it: the bridge makes the Interactions invite
   * (to the agent, or the queue) and closes this agent's part.
   */
  const transfer = async (task: TaskView, target: string) => {
    const caseNumber = Number(task.attributes.caseNumber);
    const to =
      target === 'queue'
        ? { queueSid: world.taskQueueSid, name: 'the support queue' }
        : (() => {
            const other = agents.find((candidate) => candidate.name === target);
            if (!other) throw new Error(`no agent ${target}`);
            return { workerSid: other.workerSid, name: other.name };
          })();
    const response = await fetch(`${world.bridgeUrl}/api/cases/${caseNumber}/transfer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${flexToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ taskSid: task.sid, to }),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(body?.error?.message ?? `transfer refused (${response.status})`);
    }
  };
  let error = '';
  const loadedConversations = new Set<string>();
  const shownMessages = new Map<string, Set<string>>();

  const nameOf = (author: string, task: TaskView | undefined): string => {
    if (author.startsWith('discord:')) {
      const name = task?.attributes.customerName ?? task?.attributes.discordUsername;
      return typeof name === 'string' ? name : author;
    }
    if (author === BRIDGE_AUTHOR) return `${world.bot.username} (bot)`;
    const known = agents.find((candidate) => candidate.identity === author);
    return known ? agentName(known) : author;
  };
  /** Its media with a temporary link each, as Flex asks MCS for one to show an image or a download. */
  const toHostMessage = async (
    message: ConversationMessage,
    task: TaskView | undefined,
  ): Promise<HostMessage> => {
    const media = await Promise.all(
      (message.media ?? []).map(async (item) => {
        const resource = await mcs.get(item.sid);
        return {
          sid: item.sid,
          filename: item.filename,
          contentType: item.content_type,
          size: item.size,
          url: resource.links.content_direct_temporary,
        };
      }),
    );
    return {
      sid: message.sid,
      author: nameOf(message.author, task),
      authorIdentity: message.author,
      attributes: parsedAttributes(message.attributes),
      body: message.body ?? '',
      dateCreated: message.date_created,
      fromAgent: agents.some((candidate) => candidate.identity === message.author),
      ...(media.length ? { media } : {}),
      ...(isEdited(message.attributes) ? { edited: true } : {}),
    };
  };

  /** Tasks that ended without this agent completing them (Twilio's timers): shown ended until dismissed. */
  const endedByTwilio = new Map<string, TaskView>();
  const dismissed = new Set<string>();
  const ACTIVITIES = ['Available', 'Unavailable', 'Offline'];

  const heldBy = (task: TaskView, name: string) =>
    task.reservations.some(
      (r) => r.agent === name && ['accepted', 'wrapping', 'completed'].includes(r.status),
    );
  const mine = (task: TaskView) => {
    const status = STATUS[task.assignmentStatus];
    if (!status) return false;
    // As in Flex: an incoming task rings for the agent it is reserved for, and no longer once rejected.
    if (status === 'pending')
      return task.reservations.some((r) => r.agent === agent.name && r.status === 'pending');
    return task.agent === agent.name;
  };
  const endedReason = (task: TaskView): string =>
    task.reason?.startsWith('Interaction channel') ? t('closedByTwilio') : t('chooseDisposition');

  const signIn = async () => {
    clearTimeout(tokenTimer);
    const issued = await twilio.token(agent.name);
    const { identity, expiration } = issued;
    token = issued.token;
    flexToken = token;
    host.setUser({ identity, roles: agent.roles });
    host.setWorker(
      agent.worker
        ? { sid: agent.workerSid, name: agent.worker.friendlyName, attributes: agent.worker.attributes }
        : null,
    );
    host.setToken(token);
    // Flex refreshes its token before it expires; so does the sandbox.
    const refreshIn = Math.max(60_000, (new Date(expiration).getTime() - Date.now()) * 0.8);
    tokenTimer = setTimeout(() => void signIn(), refreshIn);
  };

  const loadConversation = async (task: TaskView) => {
    const sid = task.conversationSid;
    if (!sid || loadedConversations.has(sid)) return;
    loadedConversations.add(sid);
    const { messages } = await twilio.conversation(sid);
    shownMessages.set(sid, new Set(messages.map((message) => message.sid)));
    host.setMessages(sid, await Promise.all(messages.map((message) => toHostMessage(message, task))));
  };

  const refresh = async () => {
    const all = await twilio.tasks();
    for (const task of all)
      if (
        task.assignmentStatus === 'completed' &&
        task.reason?.startsWith('Interaction channel') &&
        heldBy(task, agent.name) &&
        !dismissed.has(task.sid)
      )
        endedByTwilio.set(task.sid, task);
    tasks = [...all.filter(mine), ...endedByTwilio.values()];
    const inputs: HostTaskInput[] = tasks.map((task) => ({
      sid: task.sid,
      attributes: task.attributes,
      status: endedByTwilio.has(task.sid) ? 'completed' : (STATUS[task.assignmentStatus] ?? 'accepted'),
      taskChannelUniqueName: task.taskChannel ?? 'chat',
      dateCreated: task.dateCreated,
      ...(task.assignmentStatus === 'wrapping' || endedByTwilio.has(task.sid)
        ? { endedReason: endedReason(task) }
        : {}),
    }));
    host.setTasks(inputs);
    await Promise.all(tasks.map(loadConversation));
    render();
  };

  const act = async (work: () => Promise<unknown>) => {
    error = '';
    try {
      await work();
    } catch (failure) {
      error = failure instanceof ApiError ? failure.message : String(failure);
    }
    await refresh();
  };

  host.onSendMessage(async ({ conversationSid, body }) => {
    await twilio.sendMessage(conversationSid, agent.name, { body });
  });
  // Flex's file attachments: the file goes to MCS first, then a message carries its MediaSid.
  host.onSendMedia(async ({ conversationSid, file }) => {
    const media = await mcs.upload(file);
    await twilio.sendMessage(conversationSid, agent.name, { mediaSid: media.sid });
  });

  function render(): void {
    if (!bar) return;
    const selected = tasks.find((task) => task.sid === host.selectedTaskSid());
    const incoming = tasks.filter((task) => STATUS[task.assignmentStatus] === 'pending');
    bar.replaceChildren();
    const agentLabel = element('label', { className: 'agent-picker' }, `${t('agentLabel')} `);
    const picker = element('select', { ariaLabel: t('agentLabel') }) as HTMLSelectElement;
    picker.dataset.testid = 'agent-picker';
    for (const candidate of agents) {
      const option = element('option', {}, agentName(candidate)) as HTMLOptionElement;
      option.value = candidate.name;
      option.selected = candidate.name === agent.name;
      picker.append(option);
    }
    picker.addEventListener('change', () => {
      agent = agents.find((candidate) => candidate.name === picker.value) ?? agent;
      void act(signIn);
    });
    agentLabel.append(picker);
    const activityLabel = element('label', { className: 'agent-picker' }, `${t('statusLabel')} `);
    const activity = element('select', { ariaLabel: t('statusLabel') }) as HTMLSelectElement;
    activity.dataset.testid = 'activity-picker';
    const current = agents.find((candidate) => candidate.name === agent.name)?.activity ?? 'Available';
    for (const name of ACTIVITIES) {
      const option = element('option', {}, name) as HTMLOptionElement;
      option.value = name;
      option.selected = name === current;
      activity.append(option);
    }
    activity.addEventListener('change', () => {
      void act(async () => {
        const updated = await twilio.setActivity(agent.name, activity.value);
        const index = agents.findIndex((candidate) => candidate.name === updated.name);
        if (index >= 0) agents[index] = updated;
      });
    });
    activityLabel.append(activity);
    bar.append(element('strong', { className: 'agent-brand' }, t('agentBrand')), agentLabel, activityLabel);

    const queue = element('span', { className: 'incoming' });
    queue.dataset.testid = 'incoming-tasks';
    if (incoming.length === 0) queue.append(element('span', { className: 'quiet' }, t('noIncomingTasks')));
    for (const task of incoming) {
      const who = String(
        task.attributes.customerName ??
          task.attributes.discordUsername ??
          task.attributes.from ??
          t('customer'),
      );
      const item = element('span', { className: 'incoming-task' }, t('incomingTask', { who }));
      item.dataset.taskSid = task.sid;
      const accept = button(t('accept'), 'accept', () =>
        act(() => twilio.accept(task.sid, agent.name).then(() => host.selectTask(task.sid))),
      );
      const reject = button(t('reject'), 'reject', () => act(() => twilio.reject(task.sid, agent.name)));
      item.append(accept, reject);
      queue.append(item);
    }
    bar.append(queue);

    if (selected && endedByTwilio.has(selected.sid)) {
      bar.append(
        button(t('dismissTask'), 'dismiss-task', async () => {
          dismissed.add(selected.sid);
          endedByTwilio.delete(selected.sid);
          await refresh();
        }),
      );
    } else if (selected && selected.assignmentStatus === 'assigned') {
      if (typeof selected.attributes.caseNumber === 'number') {
        const picker = element('select', {
          ariaLabel: t('transferTo'),
          className: 'transfer-picker',
        }) as HTMLSelectElement;
        picker.dataset.testid = 'transfer-picker';
        const placeholder = element('option', {}, t('transferToChoose')) as HTMLOptionElement;
        placeholder.value = '';
        picker.append(placeholder);
        for (const other of agents.filter((candidate) => candidate.name !== agent.name)) {
          const option = element('option', {}, other.name) as HTMLOptionElement;
          option.value = other.name;
          picker.append(option);
        }
        const queue = element('option', {}, t('transferQueue', { queue: 'Everyone' })) as HTMLOptionElement;
        queue.value = 'queue';
        picker.append(queue);
        picker.addEventListener('change', () => {
          if (picker.value) void act(() => transfer(selected, picker.value));
        });
        bar.append(picker);
      }
      bar.append(button(t('endChat'), 'end-chat', () => act(() => twilio.wrapUp(selected.sid))));
    } else if (selected && selected.assignmentStatus === 'wrapping') {
      bar.append(button(t('complete'), 'complete-task', () => act(() => twilio.complete(selected.sid))));
    }
    if (error) {
      const alert = element('span', { className: 'agent-error' }, error);
      alert.setAttribute('role', 'alert');
      bar.append(alert);
    }
  }

  function button(label: string, testid: string, onClick: () => Promise<unknown>): HTMLButtonElement {
    const node = element('button', { className: `agent-button ${testid}` }, label) as HTMLButtonElement;
    node.type = 'button';
    node.dataset.testid = testid;
    node.addEventListener('click', () => {
      node.disabled = true;
      void onClick();
    });
    return node;
  }

  followEvents(
    `${world.twilioUrl}/_emulator/events`,
    [
      'task.updated',
      'task.deleted',
      'reservation.created',
      'reservation.updated',
      'message.added',
      'message.updated',
      'message.removed',
    ],
    (type, data) => {
      if (type === 'message.removed') {
        const { conversationSid, messageSid } = data as { conversationSid: string; messageSid: string };
        shownMessages.get(conversationSid)?.delete(messageSid);
        host.removeMessage(conversationSid, messageSid);
        return;
      }
      if (type === 'message.updated') {
        const { message } = data as { message: ConversationMessage };
        const task = tasks.find((candidate) => candidate.conversationSid === message.conversation_sid);
        if (!task || !shownMessages.get(message.conversation_sid)?.has(message.sid)) return;
        void toHostMessage(message, task).then((shownMessage) =>
          host.replaceMessage(message.conversation_sid, shownMessage),
        );
        return;
      }
      if (type !== 'message.added') {
        void refresh();
        return;
      }
      const { message } = data as { message: ConversationMessage };
      const task = tasks.find((candidate) => candidate.conversationSid === message.conversation_sid);
      const shown = shownMessages.get(message.conversation_sid);
      if (!task || !shown || shown.has(message.sid)) return;
      shown.add(message.sid);
      void toHostMessage(message, task).then((shownMessage) =>
        host.addMessage(message.conversation_sid, shownMessage),
      );
    },
  );
  // Re-render the bar when the agent selects another task in the list.
  document.addEventListener('click', () => queueMicrotask(render));

  await act(signIn);
}

/** Whether a message's attributes say it was edited after it was sent (`{"edited": {"at": …}}`). */
/** A message's attributes as an object (Conversations sends them as a JSON string). */
function parsedAttributes(attributes: string | null | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(attributes ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isEdited(attributes: string | null | undefined): boolean {
  return 'edited' in parsedAttributes(attributes);
}

/** The agent as people call them: the worker's `full_name` (Flex's attribute), else its name. */
function agentName(agent: AgentView): string {
  const fullName = agent.worker?.attributes.full_name;
  return typeof fullName === 'string' && fullName ? fullName : agent.name;
}

function element(tag: string, props: { className?: string; ariaLabel?: string }, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.ariaLabel) node.setAttribute('aria-label', props.ariaLabel);
  if (text !== undefined) node.textContent = text;
  return node;
}

start().catch((error: unknown) => {
  const bar = document.getElementById('agent-bar');
  if (bar) bar.textContent = t('agentDeskFailed', { error: String(error) });
  console.error(error);
});
