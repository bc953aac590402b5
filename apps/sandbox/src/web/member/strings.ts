/**
 * Every word the sandbox says on screen, in English and Spanish: the member client in the member's
 * Discord locale (Discord's clients show their own chrome in the user's language and send it as the
 * interaction's `locale`), the sandbox's top bar in the browser's language.
 *
 * Spanish follows Discord's own Spanish client where its wording is known ("Enviar mensaje a
 * @canal", "Solo tú puedes ver esto", "Descartar mensaje", "Cancelar", "Enviar"). `{name}` marks a
 * value put in; both languages must use the same ones (`test/member-strings.test.ts`).
 */

export type Language = 'en' | 'es';

const en = {
  // The message box
  messagePlaceholder: 'Message {place}',
  messageLabel: 'Message',
  noPermission: 'You do not have permission to send messages in this channel.',
  postLocked: 'This post is locked: it was closed by the team.',
  send: 'Send',
  run: 'Run',
  uploadFile: 'Upload a file',
  filesToUpload: 'Files to upload',
  removeFile: 'Remove {name}',
  commands: 'Commands',
  commandsMatching: 'Commands matching {text}',
  removeCommand: 'Remove the command',
  pressEnterToRun: 'Press Enter to run',
  charactersLeft: '{count} characters left',
  // Over-long text (Discord's client: a message over the limit is not sent; it can go as message.txt)
  tooLongTitle: 'Your message is too long',
  tooLongBody:
    'It has {count} characters; a message can have up to {limit}. Your text is still in the box: shorten it, or send it as a file.',
  sendAsFile: 'Send as message.txt',
  keepEditing: 'Keep editing',
  notSent: 'Your message could not be sent. It is still in the box: try again.',
  // Messages
  usedCommand: '{user} used /{command}',
  someone: 'Someone',
  appTag: 'APP',
  systemTag: 'SYSTEM',
  onlyYou: 'Only you can see this',
  dismissMessage: 'Dismiss message',
  edited: '(edited)',
  edit: 'Edit',
  editMessage: 'Edit message',
  escapeTo: 'escape to',
  cancelLower: 'cancel',
  enterTo: 'enter to',
  saveLower: 'save',
  thinking: '{name} is thinking…',
  spoiler: 'SPOILER',
  choose: 'Make a selection',
  // Modals
  cancel: 'Cancel',
  submit: 'Submit',
  // Channels, the member's corner
  channels: 'Channels',
  newMessagesBadge: 'New messages',
  oneNewMessage: '1 new message — jump to present ↓',
  newMessages: '{count} new messages — jump to present ↓',
  noPosts: 'No posts yet.',
  lockedPost: 'Locked: closed by the team',
  back: 'Back to #{channel}',
  playing: 'Playing {name}',
  roleMember: 'member',
  roleModerator: 'moderator',
  roleAdmin: 'admin',
  userSettings: 'User settings',
  privacySettings: 'Privacy settings · {guild}',
  directMessages: 'Direct Messages',
  allowDmsHelp: 'Allow DMs from other members in this server, including apps.',
  // Discord's refusals, in words
  appDidNotRespond: 'The application did not respond.',
  fileTooLarge:
    'Your file is too large: you can upload files of up to {limit} MB. Try a smaller file, or share a link to it.',
  tooManyFiles: 'You can attach up to 10 files to one message. Send the rest in another message.',
  emptyMessage: 'You cannot send an empty message.',
  messageTooLong: 'Your message is too long: a message can have up to {limit} characters.',
  couldNotSend: 'Discord could not do that: {reason}',
  // The sandbox's top bar
  sandbox: 'sandbox',
  member: 'Member',
  publishAnnouncement: 'Publish an announcement',
  published: 'Published “{title}” to the feed — the bridge posts it in #announcements at its next poll.',
  layout: 'Layout',
  sideBySide: 'Side by side',
  memberOnly: 'Member',
  agentOnly: 'Agent',
  agentDesktop: 'Agent desktop',
  loading: 'Loading the sandbox…',
  serverDidNotAnswer: 'The sandbox server did not answer: {error}',
  // The agent pane's bar (the sandbox's stand-in for Flex's own controls)
  agentBrand: 'Flex · agent desktop',
  agentLabel: 'Agent',
  statusLabel: 'Status',
  noIncomingTasks: 'No incoming tasks',
  customer: 'Customer',
  incomingTask: 'Incoming: {who}',
  accept: 'Accept',
  reject: 'Reject',
  dismissTask: 'Dismiss',
  transferTo: 'Transfer to',
  transferToChoose: 'Transfer to…',
  transferQueue: 'Queue: {queue}',
  endChat: 'End chat',
  complete: 'Complete',
  closedByTwilio: 'Twilio closed the conversation after a period without messages; the task was completed.',
  chooseDisposition: 'Choose a disposition in the case panel, or press Complete.',
  agentDeskFailed: 'The agent desktop could not start: {error}',
} as const;

export type StringKey = keyof typeof en;

const es: Record<StringKey, string> = {
  messagePlaceholder: 'Enviar mensaje a {place}',
  messageLabel: 'Mensaje',
  noPermission: 'No tienes permiso para enviar mensajes en este canal.',
  postLocked: 'Esta publicación está bloqueada: la cerró el equipo.',
  send: 'Enviar',
  run: 'Ejecutar',
  uploadFile: 'Subir un archivo',
  filesToUpload: 'Archivos para subir',
  removeFile: 'Quitar {name}',
  commands: 'Comandos',
  commandsMatching: 'Comandos que coinciden con {text}',
  removeCommand: 'Quitar el comando',
  pressEnterToRun: 'Pulsa Intro para ejecutar',
  charactersLeft: 'Quedan {count} caracteres',
  tooLongTitle: 'Tu mensaje es demasiado largo',
  tooLongBody:
    'Tiene {count} caracteres; un mensaje puede tener hasta {limit}. Tu texto sigue en el cuadro: acórtalo o envíalo como archivo.',
  sendAsFile: 'Enviar como message.txt',
  keepEditing: 'Seguir editando',
  notSent: 'No se ha podido enviar tu mensaje. Sigue en el cuadro: vuelve a intentarlo.',
  usedCommand: '{user} ha usado /{command}',
  someone: 'Alguien',
  appTag: 'APP',
  systemTag: 'SISTEMA',
  onlyYou: 'Solo tú puedes ver esto',
  dismissMessage: 'Descartar mensaje',
  edited: '(editado)',
  edit: 'Editar',
  editMessage: 'Editar mensaje',
  escapeTo: 'escape para',
  cancelLower: 'cancelar',
  enterTo: 'intro para',
  saveLower: 'guardar',
  thinking: '{name} está pensando…',
  spoiler: 'SPOILER',
  choose: 'Haz una selección',
  cancel: 'Cancelar',
  submit: 'Enviar',
  channels: 'Canales',
  newMessagesBadge: 'Mensajes nuevos',
  oneNewMessage: '1 mensaje nuevo — saltar al presente ↓',
  newMessages: '{count} mensajes nuevos — saltar al presente ↓',
  noPosts: 'Todavía no hay publicaciones.',
  lockedPost: 'Bloqueada: la cerró el equipo',
  back: 'Volver a #{channel}',
  playing: 'Juegas como {name}',
  roleMember: 'miembro',
  roleModerator: 'moderador',
  roleAdmin: 'administrador',
  userSettings: 'Ajustes de usuario',
  privacySettings: 'Ajustes de privacidad · {guild}',
  directMessages: 'Mensajes directos',
  allowDmsHelp: 'Permitir mensajes directos de otros miembros de este servidor, incluidas las aplicaciones.',
  appDidNotRespond: 'La aplicación no ha respondido.',
  fileTooLarge:
    'Tu archivo es demasiado grande: puedes subir archivos de hasta {limit} MB. Prueba con uno más pequeño o comparte un enlace.',
  tooManyFiles: 'Puedes adjuntar hasta 10 archivos a un mensaje. Envía el resto en otro mensaje.',
  emptyMessage: 'No puedes enviar un mensaje vacío.',
  messageTooLong: 'Tu mensaje es demasiado largo: un mensaje puede tener hasta {limit} caracteres.',
  couldNotSend: 'Discord no ha podido hacerlo: {reason}',
  sandbox: 'sandbox',
  member: 'Miembro',
  publishAnnouncement: 'Publicar un anuncio',
  published:
    'Se ha publicado «{title}» en el feed: el bridge lo publica en #announcements en su próxima consulta.',
  layout: 'Diseño',
  sideBySide: 'Lado a lado',
  memberOnly: 'Miembro',
  agentOnly: 'Agente',
  agentDesktop: 'Escritorio del agente',
  loading: 'Cargando el sandbox…',
  serverDidNotAnswer: 'El servidor del sandbox no ha respondido: {error}',
  agentBrand: 'Flex · escritorio del agente',
  agentLabel: 'Agente',
  statusLabel: 'Estado',
  noIncomingTasks: 'No hay tareas entrantes',
  customer: 'Cliente',
  incomingTask: 'Entrante: {who}',
  accept: 'Aceptar',
  reject: 'Rechazar',
  dismissTask: 'Descartar',
  transferTo: 'Transferir a',
  transferToChoose: 'Transferir a…',
  transferQueue: 'Cola: {queue}',
  endChat: 'Terminar chat',
  complete: 'Completar',
  closedByTwilio: 'Twilio cerró la conversación tras un tiempo sin mensajes; la tarea se completó.',
  chooseDisposition: 'Elige un resultado en el panel del caso o pulsa Completar.',
  agentDeskFailed: 'El escritorio del agente no pudo iniciarse: {error}',
};

/** The strings of each language; exported for the test that both have every key and placeholder. */
export const STRINGS: Record<Language, Record<StringKey, string>> = { en, es };

/** Discord's Spanish locales (`es-ES`, `es-419`) read Spanish; every other locale, English. */
export function languageOf(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export type Translate = (key: StringKey, values?: Record<string, string | number>) => string;

/** `t('removeFile', { name })`: the string in the language, its `{placeholders}` filled in. */
export function translator(language: Language): Translate {
  const table = STRINGS[language];
  return (key, values = {}) =>
    table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
}

/** A count as the language writes it (4,000 / 4000). */
export function formatCount(count: number, language: Language): string {
  return count.toLocaleString(language === 'es' ? 'es-ES' : 'en-US');
}

/**
 * A command's name and description as Discord's client shows them to a member: the
 * `*_localizations` entry for the member's locale, else the default.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#localization
 */
export function localized(
  item: {
    name: string;
    description: string;
    name_localizations?: Partial<Record<string, string | null>> | null;
    description_localizations?: Partial<Record<string, string | null>> | null;
  },
  locale: string,
): { name: string; description: string } {
  return {
    name: item.name_localizations?.[locale] ?? item.name,
    description: item.description_localizations?.[locale] ?? item.description,
  };
}
