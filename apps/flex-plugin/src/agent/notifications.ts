import { catalog } from './strings.ts';

/**
 * The notices Flexcord shows through Flex's own `Notifications` (the bar at the top of Flex), so
 * they look, stack and time out like Flex's. `content` names a string of `manager.strings`, which
 * Flex renders with the notification's `context`.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/notifications
 */
export const NOTIFICATIONS = {
  /** A change the agent made to a case was stored by the bridge. */
  caseSaved: { id: 'FlexcordCaseSaved', content: 'FlexcordNoticeCaseSaved', type: 'success', timeout: 4000 },
  /** Flex's Complete on a wrapping Discord chat whose disposition is not chosen yet. */
  chooseDisposition: {
    id: 'FlexcordChooseDisposition',
    content: 'FlexcordNoticeChooseDisposition',
    type: 'warning',
    timeout: 8000,
  },
} as const;

export type FlexcordNotice = keyof typeof NOTIFICATIONS;

export const NOTICE_STRINGS = catalog(
  {
    FlexcordNoticeCaseSaved: 'Case #{{number}}: {{change}}',
    FlexcordNoticeChooseDisposition:
      'Choose how the chat ended in the case panel’s wrap-up, then Complete: the task stays open until then.',
  },
  {
    FlexcordNoticeCaseSaved: 'Caso #{{number}}: {{change}}',
    FlexcordNoticeChooseDisposition:
      'Elige cómo terminó el chat en el cierre del panel del caso y luego Completa: la tarea sigue abierta hasta entonces.',
  },
);

/** What registering and showing needs of Flex's `Notifications`. */
export interface FlexNotifications {
  Notifications: {
    registerNotification(notification: { id: string; content: string; type: never; timeout: number }): void;
    showNotification(id: string, context?: Record<string, unknown>): unknown;
  };
}

/** Registers Flexcord's notifications with Flex (once per notification id). */
export function registerNotifications(flex: FlexNotifications): void {
  for (const notice of Object.values(NOTIFICATIONS))
    flex.Notifications.registerNotification({ ...notice, type: notice.type as never });
}
