import { catalog } from '../../agent/strings.ts';

/** What the reply box's answers popover says (knowledge base and canned replies), in English and Spanish. */
export const KB_INSERT_STRINGS = catalog(
  {
    FlexcordKbInsertButton: 'Insert a canned reply or a knowledge base article',
    FlexcordKbInsertPopover: 'Canned replies and knowledge base',
    FlexcordKbInsertSearch: 'Search canned replies and the knowledge base',
    FlexcordKbInsertPlaceholder: 'e.g. greeting, reset password',
    FlexcordKbInsertSearching: 'Searching',
    FlexcordKbInsertNoArticle: 'No article matches “{{query}}”.',
    FlexcordKbInsertArticles: 'Knowledge base',
    FlexcordKbInsertForQuestion: 'Knowledge base, for the member’s last message',
    FlexcordKbInsertUnsure: 'Not a sure match: check the article before you send it.',
    FlexcordKbInsertMark: 'This answered it',
    FlexcordKbInsertMarked:
      'Sent for review: a supervisor decides whether the virtual agent answers this question with “{{title}}”.',
    FlexcordKbInsertMarkedBotAnswered: 'The virtual agent already answered this question: nothing to review.',
    FlexcordKbInsertMarkedNoQuestion:
      'The member asked the virtual agent nothing in this chat: nothing to review.',
    FlexcordCannedHeading: 'Canned replies',
    FlexcordCannedHeadingLanguage: 'Canned replies, in {{language}} for this member',
    FlexcordCannedLanguageEn: 'English',
    FlexcordCannedLanguageEs: 'Spanish',
    FlexcordCannedLoading: 'Loading canned replies',
    FlexcordCannedNone: 'No canned reply matches “{{query}}”.',
    FlexcordCannedEmpty: 'No canned replies yet.',
    FlexcordCannedPersonal: 'Mine',
    FlexcordCannedOtherLanguage: 'Only in {{language}}',
    FlexcordCannedMissing: 'Fill in by hand: {{names}}',
    FlexcordCannedFailed: 'Canned replies could not be loaded: {{reason}}',
  },
  {
    FlexcordKbInsertButton: 'Insertar una respuesta predefinida o un artículo de la base de conocimiento',
    FlexcordKbInsertPopover: 'Respuestas predefinidas y base de conocimiento',
    FlexcordKbInsertSearch: 'Buscar respuestas predefinidas y en la base de conocimiento',
    FlexcordKbInsertPlaceholder: 'p. ej. saludo, restablecer contraseña',
    FlexcordKbInsertSearching: 'Buscando',
    FlexcordKbInsertNoArticle: 'Ningún artículo coincide con «{{query}}».',
    FlexcordKbInsertArticles: 'Base de conocimiento',
    FlexcordKbInsertForQuestion: 'Base de conocimiento, para el último mensaje del miembro',
    FlexcordKbInsertUnsure: 'No es una coincidencia segura: revisa el artículo antes de enviarlo.',
    FlexcordKbInsertMark: 'Esto lo respondió',
    FlexcordKbInsertMarked:
      'Enviado a revisión: un supervisor decide si el agente virtual responde esta pregunta con «{{title}}».',
    FlexcordKbInsertMarkedBotAnswered: 'El agente virtual ya respondió esta pregunta: nada que revisar.',
    FlexcordKbInsertMarkedNoQuestion:
      'El miembro no le preguntó nada al agente virtual en este chat: nada que revisar.',
    FlexcordCannedHeading: 'Respuestas predefinidas',
    FlexcordCannedHeadingLanguage: 'Respuestas predefinidas, en {{language}} para este miembro',
    FlexcordCannedLanguageEn: 'inglés',
    FlexcordCannedLanguageEs: 'español',
    FlexcordCannedLoading: 'Cargando las respuestas predefinidas',
    FlexcordCannedNone: 'Ninguna respuesta predefinida coincide con «{{query}}».',
    FlexcordCannedEmpty: 'Todavía no hay respuestas predefinidas.',
    FlexcordCannedPersonal: 'Mía',
    FlexcordCannedOtherLanguage: 'Solo en {{language}}',
    FlexcordCannedMissing: 'Completar a mano: {{names}}',
    FlexcordCannedFailed: 'No se pudieron cargar las respuestas predefinidas: {{reason}}',
  },
);
export type KbInsertStringKey = keyof typeof KB_INSERT_STRINGS.en;
