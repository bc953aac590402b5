import type { ITask, Manager } from '@twilio/flex-ui';
import { caseNumberOf, isDiscordTask } from '../../agent/agent-context.ts';
import { NOTIFICATIONS } from '../../agent/notifications.ts';
import { type FlexApi, withFlexAgentContext } from '../../agent/with-flex-agent-context.tsx';
import { CasePanel } from '../../shared/case/case-panel.tsx';
import { completeThroughWrapUp } from '../../shared/case/wrap-up-registry.ts';

export const CASE_PANEL_KEY = 'flexcord-case-panel';

/** The panel shows for Discord chats and for any task that names a case. */
export function showsCasePanel(task: ITask | undefined): boolean {
  if (!task) return false;
  const attributes = task.attributes ?? {};
  return isDiscordTask(attributes) || caseNumberOf(attributes) !== null;
}

/**
 * Puts the case panel in the CRM container (Panel 2, beside the chat) for case tasks; other tasks
 * keep whatever the container shows for them.
 */
export function addCasePanelToCrmContainer(flex: FlexApi, manager: Manager): void {
  const FlexCasePanel = withFlexAgentContext(flex, manager, CasePanel);
  flex.CRMContainer.Content.replace(<FlexCasePanel key={CASE_PANEL_KEY} />, {
    if: (props: { task?: ITask }) => showsCasePanel(props.task),
  });
}

/**
 * One Complete: Flex's own Complete (the task bar's button, `CompleteTask`) on a Discord chat that is
 * wrapping records the disposition like the case panel's Complete. It submits the panel's wrap-up
 * form (the bridge records it on the case and completes the task); with no disposition to send, the
 * task stays open and Flex's notification bar says to choose one. Other tasks complete as Flex does.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/use-ui-actions (replacing an action)
 */
export function completeTaskThroughWrapUp(flex: FlexApi): void {
  flex.Actions.replaceAction('CompleteTask', async (payload, original) => {
    const task = (payload as { task?: ITask } | undefined)?.task;
    if (task?.status !== 'wrapping' || !isDiscordTask(task.attributes ?? {})) return original(payload);
    const outcome = await completeThroughWrapUp(task.taskSid);
    if (outcome === 'complete') return original(payload);
    if (outcome === 'needs-disposition')
      flex.Notifications.showNotification(NOTIFICATIONS.chooseDisposition.id, {
        caseNumber: caseNumberOf(task.attributes ?? {}),
      });
  });
}
