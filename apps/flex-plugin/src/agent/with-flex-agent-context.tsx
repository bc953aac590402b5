import type * as Flex from '@twilio/flex-ui';
import { type ComponentType, useEffect, useMemo, useState } from 'react';
import { flexcordApiUrl } from '../config.ts';
import { type AgentContext, type AgentProps, appendToDraft } from './agent-context.ts';
import { isFeatureEnabled } from './feature-flags.ts';
import { OPEN_CASE_ACTION, type OpenCasePayload } from './flexcord-actions.ts';
import { lastMemberMessage } from './member-question.ts';
import { NOTIFICATIONS } from './notifications.ts';
import { StringsContext } from './strings.ts';

/** The `flex` object Flex hands to `init`: `@twilio/flex-ui`'s exports. */
export type FlexApi = typeof Flex;

/** Props Flex gives a component added to a content store: the task context, plus the store's own. */
type FlexAdapterProps = Flex.TaskContextProps & { conversationSid?: string };

/**
 * Wraps a plugin component for Flex: the task from `withTaskContext`, the agent's token from the
 * manager (kept fresh on `tokenUpdated`), the bridge URL from the configuration, and `insertText`
 * over the `SetInputText` action. Renders nothing outside a task.
 */
export function withFlexAgentContext(
  flex: FlexApi,
  manager: Flex.Manager,
  Component: ComponentType<AgentProps>,
) {
  function FlexAgentAdapter({ task, conversation, conversationSid: conversationSidProp }: FlexAdapterProps) {
    const token = useFlexToken(manager);
    const conversationSid = conversationSidProp ?? conversationSidOf(task);
    // Flex's chat state for the task's conversation; a new message is a new `messages` array.
    const memberQuestion = lastMemberMessage(conversation?.messages);
    const agent = useMemo<AgentContext | null>(() => {
      if (!task) return null;
      return {
        task: {
          sid: task.taskSid,
          attributes: task.attributes,
          ...(conversationSid ? { conversationSid } : {}),
          ...(task.status ? { status: task.status } : {}),
        },
        ...(memberQuestion ? { memberQuestion } : {}),
        token,
        apiBaseUrl: flexcordApiUrl(manager),
        insertText: (text: string) => insertIntoFlexInput(flex, manager, conversationSid, text),
        notify: (notice, context) => flex.Notifications.showNotification(NOTIFICATIONS[notice].id, context),
        ...(isFeatureEnabled(manager, 'case-desk')
          ? {
              openCase: (caseNumber: number) =>
                void flex.Actions.invokeAction(OPEN_CASE_ACTION, { caseNumber } satisfies OpenCasePayload),
            }
          : {}),
      };
    }, [task, token, conversationSid, memberQuestion]);
    return agent ? (
      <StringsContext.Provider value={manager.strings as unknown as Record<string, string>}>
        <Component agent={agent} />
      </StringsContext.Provider>
    ) : null;
  }
  FlexAgentAdapter.displayName = `Flexcord(${Component.displayName ?? Component.name})`;
  return flex.withTaskContext(FlexAgentAdapter);
}

/** The agent's Flex token, re-read whenever Flex refreshes it. */
export function useFlexToken(manager: Flex.Manager): string {
  const [token, setToken] = useState(() => manager.user.token);
  useEffect(() => {
    const { events } = manager;
    const onTokenUpdated = () => setToken(manager.user.token);
    events.addListener('tokenUpdated', onTokenUpdated);
    return () => {
      events.removeListener('tokenUpdated', onTokenUpdated);
    };
  }, [manager]);
  return token;
}

function conversationSidOf(task: Flex.ITask | undefined): string | undefined {
  const sid: unknown = task?.attributes.conversationSid;
  return typeof sid === 'string' && sid !== '' ? sid : undefined;
}

/**
 * Appends `text` to the draft in the task's reply box, cursor at the end, without sending it.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/actions (SetInputText)
 */
export async function insertIntoFlexInput(
  flex: FlexApi,
  manager: Flex.Manager,
  conversationSid: string | undefined,
  text: string,
): Promise<void> {
  if (!conversationSid) throw new Error('This task has no conversation to write into.');
  const draft = manager.store.getState().flex.chat.conversationInput[conversationSid]?.inputText ?? '';
  const body = appendToDraft(draft, text);
  await flex.Actions.invokeAction('SetInputText', {
    body,
    conversationSid,
    selectionStart: body.length,
    selectionEnd: body.length,
  });
}
