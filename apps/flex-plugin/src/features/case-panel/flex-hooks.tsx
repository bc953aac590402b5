import type { ITask, Manager } from '@twilio/flex-ui';
import { caseNumberOf, isDiscordTask } from '../../agent/agent-context.ts';
import { type FlexApi, withFlexAgentContext } from '../../agent/with-flex-agent-context.tsx';
import { CasePanel } from '../../shared/case/case-panel.tsx';

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
