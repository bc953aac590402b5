import {
  type ComponentType,
  createElement,
  isValidElement,
  type ReactElement,
  type ReactNode,
  useEffect,
  useReducer,
  useState,
} from 'react';
import { ContentStore } from './content-store.ts';
import {
  type HostConversationState,
  type HostMedia,
  type HostMessage,
  type HostMessageState,
  type HostTask,
  messageState,
} from './host-state.ts';
import {
  Actions,
  hostState,
  manager,
  Notifications,
  providers,
  stringText,
  TaskChannels,
  TaskContext,
  type TaskContextValue,
} from './runtime.ts';
import { useStickToBottom } from './stick-to-bottom.ts';
import { forTask } from './task-channels.tsx';
import { SideNav, ViewCollection } from './views.tsx';

/**
 * Flex's customisable components, rendered for real: each has a `Content` store that plugins add to,
 * and renders its defaults plus what was added (see {@link ContentStore.render}).
 */

interface TaskProps {
  task?: HostTask | undefined;
}

/** The props `MessageInputActions` children receive, as in Flex. */
export interface MessageInputActionsProps {
  conversationSid: string;
  sendDisabled: boolean;
  hasEnteredText: boolean;
}

/** Re-renders the calling component on every change of the host state. */
function useHostChanges(): void {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => hostState.changes.subscribe(rerender), []);
}

/** A channel template for a task: `{ task, helper }` is what Flex's templates see. */
function taskText(code: string | undefined, task: HostTask): string {
  return stringText(code, { task, helper: {} });
}

/** Flex's `withTaskContext`: the selected task (and friends) as props. */
export function withTaskContext<P extends object>(Component: ComponentType<P>) {
  const WithTaskContext = (props: Omit<P, keyof TaskContextValue>) => (
    <TaskContext.Consumer>
      {(context) => createElement(Component, { ...context, ...props } as P)}
    </TaskContext.Consumer>
  );
  WithTaskContext.displayName = `withTaskContext(${Component.displayName ?? Component.name})`;
  return WithTaskContext;
}

/** Flex's `Tab`: a marker whose props (`label`, `uniqueName`) the tab strip reads. */
export function Tab({
  children,
}: {
  label?: ReactNode;
  uniqueName?: string;
  icon?: ReactNode;
  children?: ReactNode;
}) {
  return <>{children}</>;
}

const crmContent = new ContentStore<TaskProps>('CRMContainer', hostState.changes);
function CRMContainerView(props: TaskProps) {
  return (
    <div className="fh-crm" data-flex-component="CRMContainer">
      {crmContent.render(props, [
        <div key="placeholder" className="fh-placeholder">
          CRM container
        </div>,
      ])}
    </div>
  );
}
export const CRMContainer = Object.assign(CRMContainerView, { Content: crmContent });

const infoContent = new ContentStore<TaskProps>('TaskInfoPanel', hostState.changes);
function TaskInfoPanelView(props: TaskProps) {
  return (
    <div className="fh-info" data-flex-component="TaskInfoPanel">
      {infoContent.render(props, [<TaskAttributes key="content" task={props.task} />])}
    </div>
  );
}
export const TaskInfoPanel = Object.assign(TaskInfoPanelView, { Content: infoContent });

const inputActionsContent = new ContentStore<MessageInputActionsProps>(
  'MessageInputActions',
  hostState.changes,
);
function MessageInputActionsView(props: MessageInputActionsProps) {
  return (
    <div className="fh-input-actions" data-flex-component="MessageInputActions">
      {inputActionsContent.render(props, [
        <AttachFileButton key="attach-file-button" {...props} />,
        <SendButton key="send-button" {...props} />,
      ])}
    </div>
  );
}
export const MessageInputActions = Object.assign(MessageInputActionsView, { Content: inputActionsContent });

const tabsContent = new ContentStore<TaskProps>('TaskCanvasTabs', hostState.changes);
function TaskCanvasTabsView(props: TaskProps) {
  return <CanvasTabs tabs={tabsContent.render(props, defaultTabs(props.task))} />;
}
export const TaskCanvasTabs = Object.assign(TaskCanvasTabsView, { Content: tabsContent });

const headerContent = new ContentStore<TaskProps>('TaskCanvasHeader', hostState.changes);
function TaskCanvasHeaderView(props: TaskProps) {
  return (
    <div className="fh-canvas-header" data-flex-component="TaskCanvasHeader">
      {headerContent.render(props, [<CanvasHeaderContent key="header" task={props.task} />])}
    </div>
  );
}
export const TaskCanvasHeader = Object.assign(TaskCanvasHeaderView, { Content: headerContent });

const canvasContent = new ContentStore<TaskProps>('TaskCanvas', hostState.changes);
function TaskCanvasView(props: TaskProps) {
  if (!props.task) {
    return (
      <div className="fh-canvas fh-empty" data-testid="task-canvas">
        No task selected
      </div>
    );
  }
  return (
    <div className="fh-canvas" data-testid="task-canvas" data-task-sid={props.task.sid}>
      {canvasContent.render(props, [<TaskCanvasHeader key="header" />, <TaskCanvasTabs key="tabs" />])}
    </div>
  );
}
export const TaskCanvas = Object.assign(TaskCanvasView, { Content: canvasContent });

const panel1Content = new ContentStore<TaskProps>('AgentDesktopView.Panel1', hostState.changes);
function Panel1View(props: TaskProps) {
  return (
    <section className="fh-panel1" data-flex-component="AgentDesktopView.Panel1">
      {panel1Content.render(props, [<TaskList key="task-list" />, <TaskCanvas key="task-canvas" />])}
    </section>
  );
}

const panel2Content = new ContentStore<TaskProps>('AgentDesktopView.Panel2', hostState.changes);
function Panel2View(props: TaskProps) {
  return (
    <section className="fh-panel2" data-flex-component="AgentDesktopView.Panel2">
      {panel2Content.render(props, [<CRMContainer key="crm-container" />])}
    </section>
  );
}

export const AgentDesktopView = {
  Panel1: Object.assign(Panel1View, { Content: panel1Content }),
  Panel2: Object.assign(Panel2View, { Content: panel2Content }),
};

function TaskList() {
  return (
    <ul className="fh-task-list" data-testid="task-list" data-flex-component="TaskList">
      {hostState.tasks.map((task) => (
        <TaskListItem key={task.sid} task={task} />
      ))}
    </ul>
  );
}

function TaskListItem({ task }: { task: HostTask }) {
  const channel = TaskChannels.getForTask(task);
  const templates = channel.templates?.TaskListItem;
  const color = forTask(channel.colors?.main, task);
  const selected = task.sid === hostState.selectedTaskSid;
  return (
    <li
      className={selected ? 'fh-task fh-selected' : 'fh-task'}
      data-testid="task-list-item"
      data-task-sid={task.sid}
      data-channel={channel.name}
      data-selected={selected}
      style={{ borderLeftColor: color }}
    >
      <button
        type="button"
        aria-pressed={selected}
        onClick={() => void Actions.invokeAction('SelectTask', { taskSid: task.sid })}
      >
        <span className="fh-icon" data-testid="task-icon" style={{ backgroundColor: color }}>
          {icon(forTask(channel.icons?.list, task))}
        </span>
        <span className="fh-lines">
          <span className="fh-first" data-testid="task-first-line">
            {taskText(forTask(templates?.firstLine, task), task)}
          </span>
          <span className="fh-second">{taskText(forTask(templates?.secondLine, task), task)}</span>
        </span>
      </button>
    </li>
  );
}

function CanvasHeaderContent({ task }: TaskProps) {
  if (!task) return null;
  const channel = TaskChannels.getForTask(task);
  const templates = channel.templates?.TaskCanvasHeader;
  const color = forTask(channel.colors?.main, task);
  return (
    <>
      <span className="fh-icon" data-testid="task-header-icon" style={{ backgroundColor: color }}>
        {icon(forTask(channel.icons?.active, task))}
      </span>
      <span className="fh-lines">
        <span className="fh-first" data-testid="task-header-title">
          {taskText(forTask(templates?.title, task), task)}
        </span>
        <span className="fh-second">{taskText(forTask(templates?.secondLine, task), task)}</span>
      </span>
    </>
  );
}

function defaultTabs(task: HostTask | undefined): ReactElement[] {
  const chatHeader = task
    ? forTask(TaskChannels.getForTask(task).templates?.TaskCanvasTabs?.contentTabHeader, task)
    : undefined;
  return [
    <Tab key="chat" uniqueName="chat" label={stringText(chatHeader ?? 'TaskTabHeaderChat', { task })}>
      <ChatCanvas task={task} />
    </Tab>,
    <Tab key="info" uniqueName="info" label={stringText('TaskTabHeaderInfo', { task })}>
      <TaskInfoPanel task={task} />
    </Tab>,
  ];
}

function CanvasTabs({ tabs }: { tabs: ReactElement[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  const named = tabs.map((tab) => ({ tab, name: String(tab.props.uniqueName ?? tab.key) }));
  const current = named.find((t) => t.name === selected) ?? named[0];
  return (
    <div className="fh-tabs" data-flex-component="TaskCanvasTabs">
      <div role="tablist" className="fh-tablist">
        {named.map(({ tab, name }) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={current?.name === name}
            data-tab={name}
            onClick={() => setSelected(name)}
          >
            {tab.props.label ?? name}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="fh-tabpanel" data-tab={current?.name}>
        {current?.tab}
      </div>
    </div>
  );
}

function ChatCanvas({ task }: TaskProps) {
  const sid = task?.attributes.conversationSid;
  if (typeof sid !== 'string' || sid === '')
    return <div className="fh-empty">This task has no conversation.</div>;
  return <MessagingCanvas key={sid} conversationSid={sid} task={task} />;
}

/** One conversation: the messages (newest kept in view unless the agent scrolled up) and the reply box. */
function MessagingCanvas({
  conversationSid: sid,
  task,
}: {
  conversationSid: string;
  task: TaskProps['task'];
}) {
  const messages: HostMessage[] = hostState.messages.get(sid) ?? [];
  const input = hostState.conversationInput[sid] ?? { inputText: '', selectionStart: 0, selectionEnd: 0 };
  // As Flex: once the task is wrapping (the chat ended) the reply box is gone, with why.
  const ended = task?.status === 'wrapping' || task?.status === 'completed';
  const scroll = useStickToBottom<HTMLOListElement>(messages.length, sid);
  return (
    <div className="fh-chat" data-flex-component="MessagingCanvas">
      <div className="fh-messages-frame">
        <ol className="fh-messages" data-testid="message-list" ref={scroll.ref} onScroll={scroll.onScroll}>
          {messages.map((message) => (
            <li
              key={message.sid}
              data-testid="message"
              className={message.fromAgent ? 'fh-agent' : 'fh-member'}
            >
              <MessageBubble conversationSid={sid} message={messageState(message)} />
            </li>
          ))}
        </ol>
        {scroll.unseen > 0 && (
          <button type="button" className="fh-new-messages" data-testid="new-messages" onClick={scroll.jump}>
            {scroll.unseen === 1 ? '1 new message' : `${scroll.unseen} new messages`} ↓
          </button>
        )}
      </div>
      {ended ? (
        <div className="fh-chat-ended" role="status" data-testid="chat-ended">
          <strong>This chat has ended.</strong> {task?.endedReason ?? 'Wrap up the task to complete it.'}
        </div>
      ) : (
        <div className="fh-input">
          <textarea
            data-testid="reply-box"
            aria-label="Type your message"
            value={input.inputText}
            onChange={(event) =>
              hostState.setInput(sid, {
                inputText: event.target.value,
                selectionStart: event.target.selectionStart,
                selectionEnd: event.target.selectionEnd,
              })
            }
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault();
                void Actions.invokeAction('SendMessage', { conversationSid: sid, body: input.inputText });
              }
            }}
          />
          <MessageInputActions
            conversationSid={sid}
            sendDisabled={input.inputText.trim() === ''}
            hasEnteredText={input.inputText !== ''}
          />
        </div>
      )}
    </div>
  );
}

/**
 * What Flex hands a message bubble and each of its children (`MessageBubbleProps`): the message's
 * state, with the Conversations message as `source`. `edited` is the host's own (Flex shows no mark).
 */
export interface MessageBubbleProps {
  conversationSid: string;
  message: HostMessageState;
}

/** The bubble's header: who wrote it (Flex's `header` child). */
function BubbleHeader(props: Partial<MessageBubbleProps>) {
  return <span className="fh-author">{props.message?.authorName}</span>;
}

/** The bubble's body: the text, the edited mark and the files (Flex's `body` child). */
function BubbleBody(props: Partial<MessageBubbleProps>) {
  const message = props.message;
  if (!message) return null;
  return (
    <>
      {message.source.body && <span className="fh-body">{message.source.body}</span>}
      {message.edited && (
        <span className="fh-edited" data-testid="edited" title="The author edited this message">
          (edited)
        </span>
      )}
      {message.source.media.map((media) => (
        <MediaItem key={media.sid} media={media} />
      ))}
    </>
  );
}

const bubbleContent = new ContentStore<MessageBubbleProps>('MessageBubble', hostState.changes);
/** One message of the list: a header and a body, which plugins add to or replace (`if` on the message). */
function MessageBubbleView(props: MessageBubbleProps) {
  return <>{bubbleContent.render(props, [<BubbleHeader key="header" />, <BubbleBody key="body" />])}</>;
}
export const MessageBubble = Object.assign(MessageBubbleView, { Content: bubbleContent });

/** A message's file: an image inline, anything else as a download link (as Flex's MessageMedia). */
function MediaItem({ media }: { media: HostMedia }) {
  const name = media.filename ?? media.sid;
  if (media.contentType.startsWith('image/')) {
    return (
      <a
        className="fh-media-image"
        href={media.url}
        target="_blank"
        rel="noreferrer"
        data-testid="message-media"
      >
        <img src={media.url} alt={name} />
      </a>
    );
  }
  return (
    <a className="fh-media-file" href={media.url} download={name} data-testid="message-media">
      <span aria-hidden="true">↓</span> {name} <span className="fh-media-size">{formatSize(media.size)}</span>
    </a>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  // Rounded up: a file just over a limit never reads as the limit.
  return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
}

/** Flex's attach button (file attachments on): the chosen file goes through `SendMediaMessage`. */
function AttachFileButton({ conversationSid }: MessageInputActionsProps) {
  const [busy, setBusy] = useState(false);
  if (!hostState.sendMediaHook) return null;
  return (
    <label className={busy ? 'fh-attach fh-busy' : 'fh-attach'} title="Attach a file">
      <input
        type="file"
        data-testid="attach-file"
        aria-label="Attach a file"
        disabled={busy}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (!file) return;
          setBusy(true);
          Actions.invokeAction('SendMediaMessage', { conversationSid, file })
            .catch((error: unknown) => hostState.reportError(error))
            .finally(() => setBusy(false));
        }}
      />
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"
        />
      </svg>
    </label>
  );
}

function SendButton({ conversationSid, sendDisabled }: MessageInputActionsProps) {
  return (
    <button
      type="button"
      className="fh-send"
      data-testid="send-button"
      disabled={sendDisabled}
      onClick={() =>
        void Actions.invokeAction('SendMessage', {
          conversationSid,
          body: hostState.conversationInput[conversationSid]?.inputText ?? '',
        })
      }
    >
      Send
    </button>
  );
}

function HostNotifications() {
  return (
    <div className="fh-notifications">
      {hostState.notifications.map((n) => (
        <div
          key={n.id}
          role="status"
          className={`fh-notification fh-${n.type}`}
          data-testid="host-notification"
        >
          {notificationContent(n.content, n.context, n.id)}
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => Notifications.dismissNotificationById(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function notificationContent(content: unknown, context: unknown, id: string): ReactNode {
  if (typeof content === 'string') return stringText(content, context);
  if (isValidElement(content)) return content;
  if (typeof content === 'function') {
    return createElement(content as ComponentType<{ context: unknown }>, { context });
  }
  return id;
}

/** The task's chat as Flex's task context carries it (`conversation`: a `ConversationState`). */
function conversationOf(task: HostTask): { conversation?: HostConversationState } {
  const sid = task.attributes.conversationSid;
  return typeof sid === 'string' ? { conversation: hostState.conversationState(sid) } : {};
}

/** The whole agent desktop. */
function HostDesktop() {
  useHostChanges();
  const task = hostState.selectedTask ?? undefined;
  return (
    <div className="fh-root" data-testid="flex-host">
      <header className="fh-header">
        <strong>Flex host</strong>
        <span data-testid="host-plugins">Plugins: {hostState.plugins.join(', ') || 'none'}</span>
        <span data-testid="host-agent">Agent: {agentName()}</span>
        {hostState.errors.length > 0 && (
          <span className="fh-error" data-testid="host-errors" role="alert">
            {hostState.errors.join(' · ')}
          </span>
        )}
      </header>
      <div className="fh-main">
        <SideNav />
        <ViewCollection
          desktop={
            <TaskContext.Provider value={task ? { task, ...conversationOf(task) } : {}}>
              <div className="fh-desktop" data-flex-component="AgentDesktopView">
                <AgentDesktopView.Panel1 task={task} />
                <AgentDesktopView.Panel2 task={task} />
              </div>
            </TaskContext.Provider>
          }
        />
      </div>
      <HostNotifications />
    </div>
  );
}

/** The agent as people call them: the worker's `full_name`, else its friendly name, else the identity. */
function agentName(): string {
  const worker = hostState.worker;
  const fullName = worker?.attributes.full_name;
  if (typeof fullName === 'string' && fullName) return fullName;
  return worker?.name || manager.user.identity;
}

let wrappedRoot: ComponentType | null = null;

/** Applies `setProviders`: Paste's theme around the page, and a plugin's own root wrapper. */
export function applyProviders(): void {
  wrappedRoot = providers.CustomProvider ? providers.CustomProvider(HostDesktop) : null;
  hostState.changes.notify();
}

/** The page's root, inside the providers a plugin set. */
export function HostApp() {
  useHostChanges();
  const Root = wrappedRoot ?? HostDesktop;
  const Paste = providers.PasteThemeProvider;
  return Paste ? (
    <Paste baseTheme="default">
      <Root />
    </Paste>
  ) : (
    <Root />
  );
}

function icon(value: ReactNode): ReactNode {
  if (typeof value === 'string') {
    // A Flex icon name ("Message", "Sms"…): the host has no icon font, so it shows the name's initial.
    return (
      <span data-host-icon={value} title={value}>
        {value.charAt(0)}
      </span>
    );
  }
  return value;
}

function TaskAttributes({ task }: TaskProps) {
  if (!task) return null;
  return (
    <dl className="fh-attributes">
      {Object.entries(task.attributes).map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
