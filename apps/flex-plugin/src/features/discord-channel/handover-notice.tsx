import { handoverRequestOf } from '@flexcord/contracts';
import type { Manager } from '@twilio/flex-ui';
import { catalog, type Translate, translator } from '../../agent/strings.ts';
import type { FlexApi } from '../../agent/with-flex-agent-context.tsx';

/** What the agent reads where the member asked for a person without typing it, in EN and ES. */
export const HANDOVER_STRINGS = catalog(
  {
    FlexcordHandoverButton: '{{name}} pressed “Talk to an agent”',
    FlexcordHandoverAfterHours: '{{name}}’s request for an agent, kept outside the support hours, was sent',
  },
  {
    FlexcordHandoverButton: '{{name}} pulsó «Hablar con un agente»',
    FlexcordHandoverAfterHours:
      'Se envió la solicitud de un agente que {{name}} hizo fuera del horario de atención',
  },
);

type HandoverKey = keyof typeof HANDOVER_STRINGS.en;

export const HANDOVER_NOTICE_KEY = 'flexcord-handover-notice';

/** The part of Flex's `MessageBubbleProps` the notice reads. */
interface BubbleProps {
  message?: { authorName?: string; source?: { attributes?: unknown } };
}

/** The notice in place of the message's bubble; `translate` is given at registration. */
function HandoverNotice({ message, translate }: BubbleProps & { translate: Translate<HandoverKey> }) {
  const request = handoverRequestOf(message?.source?.attributes);
  if (!request) return null;
  const name = message?.authorName ?? '';
  const key = request.source === 'button' ? 'FlexcordHandoverButton' : 'FlexcordHandoverAfterHours';
  return (
    <span
      className="flexcord-handover-notice"
      data-testid="flexcord-handover-notice"
      style={{ fontStyle: 'italic', fontSize: 13, color: '#606b85', padding: '2px 0' }}
    >
      ↪ {translate(key, { name })}
    </span>
  );
}

/**
 * The bridge posts a member's request for an agent into the Conversation in the member's name (the
 * flow routes on it), with a `handover` attribute. The member never typed its words, so the agent's
 * message list shows it as a notice of what the member did, as the transcript does.
 */
export function registerHandoverNotice(flex: FlexApi, manager: Manager): void {
  const translate = translator(manager.strings as unknown as Record<string, string>, HANDOVER_STRINGS);
  flex.MessageBubble.Content.replace(<HandoverNotice key={HANDOVER_NOTICE_KEY} translate={translate} />, {
    if: (props: BubbleProps) => handoverRequestOf(props.message?.source?.attributes) !== null,
  });
}
