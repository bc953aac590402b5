import type { Manager } from '@twilio/flex-ui';
import { type FlexApi, withFlexAgentContext } from '../../agent/with-flex-agent-context.tsx';
import { KbInsertButton } from './kb-insert-button.tsx';

export const KB_BUTTON_KEY = 'flexcord-kb-insert';

/** Puts the knowledge-base button first among the reply box's actions, in every chat. */
export function addKbButtonToMessageInputActions(flex: FlexApi, manager: Manager): void {
  const FlexKbInsertButton = withFlexAgentContext(flex, manager, KbInsertButton);
  flex.MessageInputActions.Content.add(<FlexKbInsertButton key={KB_BUTTON_KEY} />, {
    sortOrder: -1,
    if: (props: { conversationSid?: string }) => Boolean(props.conversationSid),
  });
}
