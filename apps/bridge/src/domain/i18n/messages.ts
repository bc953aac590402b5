/**
 * Every text the bot shows a member, in English and Spanish. Keys are typed: a text missing in one
 * language is a compile error.
 */
const en = {
  'topics.pick': 'What do you need help with? Pick a topic:',
  'topics.placeholder': 'Choose a topic',
  'topics.unknown': 'That topic is no longer offered. Run /helpme again to see the current ones.',
  'topics.formInvalid':
    'The field **{field}** is missing or too long. Pick the topic again in /helpme to fill in the form.',
  'topics.noted': 'Got it: **{topic}**. Tell me more, or say **agent** to talk to a person.',
  'topics.answerFooter': '-# Still need help? Run /helpme again and pick another topic to reach our team.',
  'helpme.dmSent': "I've sent you a DM — let's continue there.",
  'helpme.threadSent':
    "Let's continue in your private support thread: <#{channel}> (only you and our team can see it).",
  'helpme.threadDmsClosed':
    "Your privacy settings block DMs from this server, so we'll continue in a private thread only you and our team can see: <#{channel}>",
  'helpme.threadUnavailable':
    "I couldn't send you a DM (your privacy settings block messages from server members) and couldn't open a private thread here either. Enable **Direct Messages** for this server (Server menu → Privacy Settings) and run /helpme again, or ask a moderator.",
  'chat.movedToThread':
    'Hi {name}, your privacy settings no longer allow DMs from this server, so your chat with our team continues here, in a private thread only you and our team can see. Just keep writing here.',
  'helpme.dmClosed':
    "I couldn't send you a DM: your privacy settings block messages from server members. Enable **Direct Messages** for this server (Server menu → Privacy Settings) and run /helpme again.",
  'helpme.greeting':
    "Hi {name}! I'm the {brand} support assistant. Ask me anything — I'll suggest help articles, and I can connect you to a person from our team whenever you want (just say **agent**).",
  'helpme.greetingTopic':
    "Hi {name}! You asked about **{topic}**. I'm the support assistant — tell me a bit more, or say **agent** to talk to a person.",
  'helpme.withAgent': "You're already talking to **{agent}** in our DM — continue there: {link}",
  'helpme.withAgentThread':
    "You're already talking to **{agent}** in your private support thread — continue there: {link}",
  'helpme.waitingThread':
    "You're already in line for an agent (case #{caseNumber}); we'll write in your private support thread as soon as someone joins: {link}",
  'helpme.anAgent': 'an agent',
  'helpme.dmLink': 'our DM',
  'helpme.waiting':
    "You're already in line for an agent (case #{caseNumber}); we'll write in our DM as soon as someone joins: {link}",
  'helpme.linkedCase': 'Your case #{caseNumber} is still open; this chat is linked to it.',
  'bot.found': 'Here is what I found',
  'bot.foundFooter': "Didn't solve it? Press “Talk to an agent”.",
  'bot.noMatch':
    "I'm not sure I have an article about that. You can rephrase it, or talk to a person from our team.",
  'bot.noMatchTopics':
    "I'm not sure I have an article about that. You can rephrase it, pick what it is about below, or talk to a person from our team.",
  'bot.candidates': 'Is it one of these?',
  'bot.candidatesFooter': 'None of these? Press “Talk to an agent”.',
  'bot.readMore': 'Read the article',
  'bot.helped': 'This helped',
  'bot.talkToAgent': 'Talk to an agent',
  'bot.thanks': "Glad it helped! I'm here if you need anything else.",
  'handover.created': 'Case #{caseNumber} created. Connecting you to an agent…',
  'handover.reused': 'Your case #{caseNumber} is open. Connecting you to an agent…',
  'handover.alreadyWaiting':
    "You're already in the queue for an agent (case #{caseNumber}). Someone will be with you shortly.",
  'handover.request': 'I would like to talk to an agent.',
  'hours.closedCreated':
    "Case #{caseNumber} created. Our team is away right now: {back}. Your request is kept, and we'll connect you to an agent as soon as we open.",
  'hours.closedReused':
    "Your case #{caseNumber} is open. Our team is away right now: {back}. Your request is kept, and we'll connect you to an agent as soon as we open.",
  'hours.backAt': "we're back {when}",
  'hours.backSoon': "we'll be back soon",
  'hours.stillClosed':
    "Our team is still away ({back}). Your request for case #{caseNumber} is kept: we'll connect you as soon as we open.",
  'hours.opened': "We're open again — connecting you to an agent for case #{caseNumber}…",
  'queue.position': "You're {ordinal} in line.",
  'queue.positionWait': "You're {ordinal} in line, about {minutes} min.",
  'agent.joined': '**{agent}** joined the chat.',
  'agent.transferring': '**{agent}** is passing your chat to {target}. One moment, please…',
  'agent.transferTargetQueue': 'someone else on the team',
  'agent.left': '**{agent}** left the chat.',
  'media.tooLargeForDiscord':
    '{agent} tried to send you “{filename}” ({size}), but Discord only takes files of up to {limit} here. They have been told and can share it another way.',
  'media.notDeliveredToDiscord':
    '“{filename}” ({size}) was not delivered: Discord accepts files of up to {limit} from the bot. Send a smaller file (or several), or a link to it. The member was told.',
  'chat.ended':
    'This chat has ended. Case #{caseNumber} stays open until it is resolved; run /helpme to talk to us again.',
  'chat.endedNoCase': 'This chat has ended. Run /helpme to talk to us again.',
  'case.resolved':
    'Good news: your case #{caseNumber} (“{subject}”) was marked **resolved**. Run /helpme if you need anything else.',
  'case.closed':
    'Your case #{caseNumber} (“{subject}”) was **closed**. Run /helpme if you need us again — it opens a new case.',
  'chat.endedResolved':
    'This chat has ended. Case #{caseNumber} is **resolved**; run /helpme if you need anything else.',
  'chat.endedClosed':
    'This chat has ended. Case #{caseNumber} is **closed**; run /helpme to open a new one if you need us.',
  'chat.endedIdle': 'This chat was closed because nobody wrote for a while.',
  'survey.ask': 'How did **{agent}** do? Rate this chat from 1 (poor) to 5 (great) — it takes one click.',
  'survey.askNoAgent': 'How did we do? Rate this chat from 1 (poor) to 5 (great) — it takes one click.',
  'survey.thanks': 'Thank you! You rated this chat **{rating}/5**. You can add a comment if you like.',
  'survey.thanksComment': 'Thank you! You rated this chat **{rating}/5**, and your comment is with the team.',
  'survey.addComment': 'Add a comment',
  'survey.commentTitle': 'Your comment',
  'survey.commentLabel': 'What should the team know?',
  'survey.commentSaved': 'Thanks, your comment is with the team.',
  'survey.already': 'Your answer to this survey is already recorded. Thank you!',
  'survey.closed': 'This survey has closed. Thank you all the same!',
  'survey.notYours': 'This survey belongs to someone else’s chat.',
  'case.transcriptAttached': 'The transcript of your chats for case #{caseNumber} is attached.',
  'case.transcriptNone': 'No chat of case #{caseNumber} has been kept, so there is no transcript to send.',
  'case.statusChanged': 'Your case #{caseNumber} is now **{status}**.',
  'bug.modalTitle': 'Report a bug',
  'bug.fieldTitle': 'Title',
  'bug.fieldWhatHappened': 'What happened?',
  'bug.fieldSteps': 'Steps to reproduce',
  'bug.fieldExpected': 'Expected vs actual',
  'bug.fieldSeverity': 'Severity: low, medium, high or critical',
  'bug.invalid':
    "Your report wasn't filed: {reason}. Press **Edit report** to fix it — what you typed is kept.",
  'bug.invalidSeverity': 'severity must be low, medium, high or critical',
  'bug.tooShort': '“{field}” needs at least {min} characters',
  'bug.edit': 'Edit report',
  'bug.filed': 'Thanks! Bug report filed as case #{caseNumber}: {link}',
  'bug.filedPending':
    'Thanks! Bug report filed as case #{caseNumber}. Its post will appear in #bug-report shortly.',
  'bug.cooldown': 'You just filed a report. Please wait {seconds} s before filing another one.',
  'feature.modalTitle': 'Request a feature',
  'feature.fieldTitle': 'Title',
  'feature.fieldDescription': 'Description',
  'feature.fieldWhy': 'Why it matters',
  'feature.refused':
    'Only moderators can file official feature requests. Share your idea in #feature-request — a moderator can make it official.',
  'feature.filed': 'Feature request filed as case #{caseNumber}: {link}',
  'feature.filedPending':
    'Feature request filed as case #{caseNumber}. Its post will appear in #feature-request shortly.',
  'community.noChannel': 'This server has no #{channel} channel yet. Ask an admin to run the Flexcord setup.',
  'case.none': "You don't have any cases yet. Run /helpme or /bug to open one.",
  'case.listTitle': 'Your cases',
  'case.notFound': "Case #{caseNumber} wasn't found among your cases.",
  'case.detailTitle': 'Case #{caseNumber}: {subject}',
  'case.fieldStatus': 'Status',
  'case.fieldType': 'Type',
  'case.fieldPriority': 'Priority',
  'case.fieldTimeline': 'Timeline',
  'case.postStatus': 'Status changed to **{status}**.',
  'case.stageChanged': 'Update on your report #{caseNumber} (“{subject}”): it is now **{stage}**. {link}',
  'case.officialReply': '**{name}** (team): {body}',
  'duplicate.toReporter':
    'Your report #{caseNumber} (“{subject}”) is the same problem as #{original} (“{originalSubject}”), so we closed yours and counted you there ({reports} reports). Follow it here: {link}',
  'duplicate.toOriginalReporter':
    'Another member reported the same problem as your report #{original} (“{originalSubject}”): it now has {reports} reports. {link}',
  'duplicate.postNote': 'Closed as a duplicate of #{original} (“{originalSubject}”): {link}',
  'duplicate.postMerged': 'Report #{caseNumber} was merged into this one: {reports} reports now.',
  'similar.intro':
    'Is it one of these? These open reports look like yours. Add yourself to one, or file yours as it is — what you typed is kept.',
  'similar.addMe': 'Add me to #{caseNumber}',
  'similar.fileMine': 'No, file mine',
  'similar.added':
    'Thanks! You are counted on #{caseNumber} (“{subject}”): {reports} reports now. You will hear about it here. {link}',
  'similar.alreadyReporter': 'You already reported #{caseNumber} (“{subject}”) ({reports} reports).',
  'similar.draftGone': 'That report form has expired. Please run /bug again.',
  'similar.notOpen': 'Case #{caseNumber} is not open any more. Press “No, file mine” to file yours.',
  'vote.counted': 'Thanks, your +1 is counted: {votes} so far.',
  'vote.already': 'You have already voted for this request ({votes} so far).',
  'vote.unknownButton':
    "This button isn't a vote on any feature request. Use the +1 button on the request's post.",
  'stage.open': 'open',
  'stage.investigating': 'investigating',
  'stage.planned': 'planned',
  'stage.fixed': 'fixed',
  'stage.wont_fix': "won't fix",
  'severity.low': 'low',
  'severity.medium': 'medium',
  'severity.high': 'high',
  'severity.critical': 'critical',
  'status.open': 'open',
  'status.pending': 'pending',
  'status.resolved': 'resolved',
  'status.closed': 'closed',
  'status.duplicateOf': 'closed as a duplicate of #{caseNumber}',
  'privacy.exportSending':
    'Your data is on its way: I am sending you a file with everything we keep about you (your cases, chats, survey answers, votes and reports).',
  'privacy.exportFile': 'Here is everything we keep about you, as you asked (a JSON file).',
  'privacy.deleteConfirm':
    'This erases your personal data: your name is removed from your cases, chat transcripts, survey answers, votes and reports, and your chat messages and survey comments are erased. Your cases stay, anonymised, so the team keeps its records. This cannot be undone. Erase your data?',
  'privacy.deleteButton': 'Erase my data',
  'privacy.cancelButton': 'Cancel',
  'privacy.deleted':
    'Done: your personal data is erased. Your cases stay, anonymised. Messages already in your Discord DMs are yours to delete.',
  'privacy.nothing': 'We keep no data about you, so there was nothing to erase.',
  'privacy.cancelled': 'Nothing was erased.',
  'privacy.chatOpen': 'You have a chat with our team open. Once it ends, run /privacy delete again.',
  'privacy.rateLimited': 'You asked for this recently. You can ask again in {hours} h.',
  'privacy.erasedName': 'Deleted member',
  'privacy.erasedMessage': "[erased at the member's request]",
  'error.generic': 'Something went wrong on our side. Please try again in a moment.',
  'error.notInGuild': 'Run this command in the server.',
} as const;

export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  'topics.pick': '¿Con qué necesitas ayuda? Elige un tema:',
  'topics.placeholder': 'Elige un tema',
  'topics.unknown': 'Ese tema ya no está disponible. Vuelve a usar /helpme para ver los actuales.',
  'topics.formInvalid':
    'Falta el campo **{field}** o es demasiado largo. Vuelve a elegir el tema en /helpme para rellenar el formulario.',
  'topics.noted': 'Entendido: **{topic}**. Cuéntame más o escribe **agente** para hablar con una persona.',
  'topics.answerFooter':
    '-# ¿Aún necesitas ayuda? Vuelve a usar /helpme y elige otro tema para hablar con nuestro equipo.',
  'helpme.dmSent': 'Te envié un mensaje directo: sigamos allí.',
  'helpme.threadSent':
    'Sigamos en tu hilo privado de soporte: <#{channel}> (solo tú y nuestro equipo pueden verlo).',
  'helpme.threadDmsClosed':
    'Tu configuración de privacidad bloquea los mensajes directos de este servidor, así que seguiremos en un hilo privado que solo tú y nuestro equipo pueden ver: <#{channel}>',
  'helpme.threadUnavailable':
    'No pude enviarte un mensaje directo (tu configuración de privacidad bloquea los mensajes de miembros del servidor) ni abrir un hilo privado aquí. Activa **Mensajes directos** para este servidor (menú del servidor → Ajustes de privacidad) y vuelve a usar /helpme, o pide ayuda a un moderador.',
  'chat.movedToThread':
    'Hola {name}, tu configuración de privacidad ya no permite mensajes directos de este servidor, así que tu chat con nuestro equipo sigue aquí, en un hilo privado que solo tú y nuestro equipo pueden ver. Sigue escribiendo aquí.',
  'helpme.dmClosed':
    'No pude enviarte un mensaje directo: tu configuración de privacidad bloquea los mensajes de miembros del servidor. Activa los **Mensajes directos** para este servidor (menú del servidor → Ajustes de privacidad) y vuelve a usar /helpme.',
  'helpme.greeting':
    '¡Hola {name}! Soy el asistente de soporte de {brand}. Pregúntame lo que quieras: te sugeriré artículos de ayuda y puedo conectarte con una persona de nuestro equipo cuando quieras (solo escribe **agente**).',
  'helpme.greetingTopic':
    '¡Hola {name}! Preguntaste por **{topic}**. Soy el asistente de soporte: cuéntame un poco más o escribe **agente** para hablar con una persona.',
  'helpme.withAgent': 'Ya estás hablando con **{agent}** en nuestro mensaje directo; sigue allí: {link}',
  'helpme.withAgentThread':
    'Ya estás hablando con **{agent}** en tu hilo privado de soporte; sigue allí: {link}',
  'helpme.waitingThread':
    'Ya estás en la cola para hablar con un agente (caso #{caseNumber}); te escribiremos en tu hilo privado de soporte en cuanto alguien se una: {link}',
  'helpme.anAgent': 'un agente',
  'helpme.dmLink': 'nuestro mensaje directo',
  'helpme.waiting':
    'Ya estás en la cola para hablar con un agente (caso #{caseNumber}); te escribiremos por mensaje directo en cuanto alguien se una: {link}',
  'helpme.linkedCase': 'Tu caso #{caseNumber} sigue abierto; este chat queda vinculado a él.',
  'bot.found': 'Esto es lo que encontré',
  'bot.foundFooter': '¿No lo resolvió? Pulsa «Hablar con un agente».',
  'bot.noMatch':
    'No estoy seguro de tener un artículo sobre eso. Puedes reformular la pregunta o hablar con una persona de nuestro equipo.',
  'bot.noMatchTopics':
    'No estoy seguro de tener un artículo sobre eso. Puedes reformular la pregunta, elegir el tema abajo o hablar con una persona de nuestro equipo.',
  'bot.candidates': '¿Es alguno de estos?',
  'bot.candidatesFooter': '¿Ninguno? Pulsa «Hablar con un agente».',
  'bot.readMore': 'Leer el artículo',
  'bot.helped': 'Me ayudó',
  'bot.talkToAgent': 'Hablar con un agente',
  'bot.thanks': '¡Me alegra haber ayudado! Aquí estoy si necesitas algo más.',
  'handover.created': 'Caso #{caseNumber} creado. Te estamos conectando con un agente…',
  'handover.reused': 'Tu caso #{caseNumber} está abierto. Te estamos conectando con un agente…',
  'handover.alreadyWaiting':
    'Ya estás en la cola para hablar con un agente (caso #{caseNumber}). Alguien te atenderá en breve.',
  'handover.request': 'Quiero hablar con un agente.',
  'hours.closedCreated':
    'Caso #{caseNumber} creado. Nuestro equipo no está disponible ahora: {back}. Guardamos tu solicitud y te conectaremos con un agente en cuanto abramos.',
  'hours.closedReused':
    'Tu caso #{caseNumber} está abierto. Nuestro equipo no está disponible ahora: {back}. Guardamos tu solicitud y te conectaremos con un agente en cuanto abramos.',
  'hours.backAt': 'volvemos el {when}',
  'hours.backSoon': 'volveremos pronto',
  'hours.stillClosed':
    'Nuestro equipo sigue sin estar disponible ({back}). Guardamos tu solicitud del caso #{caseNumber}: te conectaremos en cuanto abramos.',
  'hours.opened': 'Ya estamos disponibles: te estamos conectando con un agente para el caso #{caseNumber}…',
  'queue.position': 'Estás en el puesto {position} de la fila.',
  'queue.positionWait': 'Estás en el puesto {position} de la fila; unos {minutes} min de espera.',
  'agent.joined': '**{agent}** se unió al chat.',
  'agent.transferring': '**{agent}** está pasando tu chat a {target}. Un momento, por favor…',
  'agent.transferTargetQueue': 'otra persona del equipo',
  'agent.left': '**{agent}** salió del chat.',
  'media.tooLargeForDiscord':
    '{agent} intentó enviarte «{filename}» ({size}), pero Discord solo admite aquí archivos de hasta {limit}. Ya se le avisó y puede compartirlo de otra forma.',
  'media.notDeliveredToDiscord':
    '«{filename}» ({size}) no se entregó: Discord acepta archivos de hasta {limit} del bot. Envía un archivo más pequeño (o varios) o un enlace. Se avisó al miembro.',
  'chat.ended':
    'Este chat terminó. El caso #{caseNumber} sigue abierto hasta que se resuelva; usa /helpme para volver a hablar con nosotros.',
  'chat.endedNoCase': 'Este chat terminó. Usa /helpme para volver a hablar con nosotros.',
  'case.resolved':
    'Buenas noticias: tu caso #{caseNumber} («{subject}») se marcó como **resuelto**. Usa /helpme si necesitas algo más.',
  'case.closed':
    'Tu caso #{caseNumber} («{subject}») se **cerró**. Usa /helpme si nos necesitas de nuevo: se abrirá un caso nuevo.',
  'chat.endedResolved':
    'Este chat terminó. El caso #{caseNumber} está **resuelto**; usa /helpme si necesitas algo más.',
  'chat.endedClosed':
    'Este chat terminó. El caso #{caseNumber} está **cerrado**; usa /helpme para abrir uno nuevo si nos necesitas.',
  'chat.endedIdle': 'Este chat se cerró porque nadie escribió durante un rato.',
  'survey.ask': '¿Qué tal lo hizo **{agent}**? Valora este chat del 1 (mal) al 5 (genial): es un solo clic.',
  'survey.askNoAgent': '¿Qué tal lo hicimos? Valora este chat del 1 (mal) al 5 (genial): es un solo clic.',
  'survey.thanks':
    '¡Gracias! Valoraste este chat con **{rating}/5**. Si quieres, puedes añadir un comentario.',
  'survey.thanksComment':
    '¡Gracias! Valoraste este chat con **{rating}/5** y tu comentario ya lo tiene el equipo.',
  'survey.addComment': 'Añadir un comentario',
  'survey.commentTitle': 'Tu comentario',
  'survey.commentLabel': '¿Qué debería saber el equipo?',
  'survey.commentSaved': 'Gracias, tu comentario ya lo tiene el equipo.',
  'survey.already': 'Tu respuesta a esta encuesta ya está registrada. ¡Gracias!',
  'survey.closed': 'Esta encuesta ya se cerró. ¡Gracias de todos modos!',
  'survey.notYours': 'Esta encuesta es del chat de otra persona.',
  'case.transcriptAttached': 'Adjuntamos la transcripción de tus chats del caso #{caseNumber}.',
  'case.transcriptNone':
    'No se guardó ningún chat del caso #{caseNumber}, así que no hay transcripción que enviar.',
  'case.statusChanged': 'Tu caso #{caseNumber} ahora está **{status}**.',
  'bug.modalTitle': 'Reportar un error',
  'bug.fieldTitle': 'Título',
  'bug.fieldWhatHappened': '¿Qué pasó?',
  'bug.fieldSteps': 'Pasos para reproducirlo',
  'bug.fieldExpected': 'Esperado vs. real',
  'bug.fieldSeverity': 'Gravedad: baja, media, alta o crítica',
  'bug.invalid':
    'Tu reporte no se envió: {reason}. Pulsa **Editar reporte** para corregirlo; lo que escribiste se conserva.',
  'bug.invalidSeverity': 'la gravedad debe ser baja, media, alta o crítica',
  'bug.tooShort': '«{field}» necesita al menos {min} caracteres',
  'bug.edit': 'Editar reporte',
  'bug.filed': '¡Gracias! Reporte registrado como caso #{caseNumber}: {link}',
  'bug.filedPending':
    '¡Gracias! Reporte registrado como caso #{caseNumber}. Su publicación aparecerá pronto en #bug-report.',
  'bug.cooldown': 'Acabas de enviar un reporte. Espera {seconds} s antes de enviar otro.',
  'feature.modalTitle': 'Solicitar una función',
  'feature.fieldTitle': 'Título',
  'feature.fieldDescription': 'Descripción',
  'feature.fieldWhy': 'Por qué importa',
  'feature.refused':
    'Solo los moderadores pueden registrar solicitudes oficiales. Comparte tu idea en #feature-request: un moderador puede hacerla oficial.',
  'feature.filed': 'Solicitud registrada como caso #{caseNumber}: {link}',
  'feature.filedPending':
    'Solicitud registrada como caso #{caseNumber}. Su publicación aparecerá pronto en #feature-request.',
  'community.noChannel':
    'Este servidor aún no tiene el canal #{channel}. Pide a un administrador que ejecute la configuración de Flexcord.',
  'case.none': 'Aún no tienes casos. Usa /helpme o /bug para abrir uno.',
  'case.listTitle': 'Tus casos',
  'case.notFound': 'No se encontró el caso #{caseNumber} entre tus casos.',
  'case.detailTitle': 'Caso #{caseNumber}: {subject}',
  'case.fieldStatus': 'Estado',
  'case.fieldType': 'Tipo',
  'case.fieldPriority': 'Prioridad',
  'case.fieldTimeline': 'Historial',
  'case.postStatus': 'El estado cambió a **{status}**.',
  'case.stageChanged': 'Novedades de tu reporte #{caseNumber} («{subject}»): ahora está **{stage}**. {link}',
  'case.officialReply': '**{name}** (equipo): {body}',
  'duplicate.toReporter':
    'Tu reporte #{caseNumber} («{subject}») es el mismo problema que #{original} («{originalSubject}»): cerramos el tuyo y te contamos allí ({reports} reportes). Síguelo aquí: {link}',
  'duplicate.toOriginalReporter':
    'Otro miembro reportó el mismo problema que tu reporte #{original} («{originalSubject}»): ya tiene {reports} reportes. {link}',
  'duplicate.postNote': 'Cerrado como duplicado de #{original} («{originalSubject}»): {link}',
  'duplicate.postMerged': 'El reporte #{caseNumber} se unió a este: {reports} reportes ahora.',
  'similar.intro':
    '¿Es alguno de estos? Estos reportes abiertos se parecen al tuyo. Súmate a uno o envía el tuyo tal cual: lo que escribiste se guarda.',
  'similar.addMe': 'Sumarme a #{caseNumber}',
  'similar.fileMine': 'No, enviar el mío',
  'similar.added':
    '¡Gracias! Te contamos en #{caseNumber} («{subject}»): {reports} reportes ahora. Te avisaremos de sus novedades. {link}',
  'similar.alreadyReporter': 'Ya reportaste #{caseNumber} («{subject}») ({reports} reportes).',
  'similar.draftGone': 'Ese formulario caducó. Usa /bug de nuevo.',
  'similar.notOpen':
    'El caso #{caseNumber} ya no está abierto. Pulsa «No, enviar el mío» para enviar el tuyo.',
  'vote.counted': 'Gracias, tu +1 cuenta: {votes} hasta ahora.',
  'vote.already': 'Ya votaste por esta solicitud ({votes} hasta ahora).',
  'vote.unknownButton':
    'Este botón no es un voto de ninguna solicitud. Usa el botón +1 de la publicación de la solicitud.',
  'stage.open': 'abierto',
  'stage.investigating': 'en investigación',
  'stage.planned': 'planificado',
  'stage.fixed': 'corregido',
  'stage.wont_fix': 'no se hará',
  'severity.low': 'baja',
  'severity.medium': 'media',
  'severity.high': 'alta',
  'severity.critical': 'crítica',
  'status.open': 'abierto',
  'status.pending': 'pendiente',
  'status.resolved': 'resuelto',
  'status.closed': 'cerrado',
  'status.duplicateOf': 'cerrado como duplicado de #{caseNumber}',
  'privacy.exportSending':
    'Tus datos van en camino: te envío un archivo con todo lo que guardamos sobre ti (tus casos, chats, respuestas a encuestas, votos y reportes).',
  'privacy.exportFile': 'Aquí tienes todo lo que guardamos sobre ti, como pediste (un archivo JSON).',
  'privacy.deleteConfirm':
    'Esto borra tus datos personales: tu nombre se elimina de tus casos, transcripciones de chats, respuestas a encuestas, votos y reportes, y se borran tus mensajes de chat y tus comentarios de encuestas. Tus casos se conservan, anonimizados, para los registros del equipo. No se puede deshacer. ¿Borrar tus datos?',
  'privacy.deleteButton': 'Borrar mis datos',
  'privacy.cancelButton': 'Cancelar',
  'privacy.deleted':
    'Listo: tus datos personales están borrados. Tus casos se conservan, anonimizados. Los mensajes que ya están en tus mensajes directos de Discord puedes borrarlos tú.',
  'privacy.nothing': 'No guardamos datos sobre ti, así que no había nada que borrar.',
  'privacy.cancelled': 'No se borró nada.',
  'privacy.chatOpen':
    'Tienes un chat abierto con nuestro equipo. Cuando termine, usa /privacy delete de nuevo.',
  'privacy.rateLimited': 'Lo pediste hace poco. Puedes pedirlo de nuevo en {hours} h.',
  'privacy.erasedName': 'Miembro eliminado',
  'privacy.erasedMessage': '[borrado a petición del miembro]',
  'error.generic': 'Algo salió mal de nuestro lado. Inténtalo de nuevo en un momento.',
  'error.notInGuild': 'Usa este comando en el servidor.',
};

/** Every text in each language (a test checks that both have every key and the same placeholders). */
export const catalogs: Record<'en' | 'es', Record<MessageKey, string>> = { en, es };

/** The supported language of a Discord locale (`es-ES`, `es-419` → `es`); English otherwise. */
export function languageOf(locale: string | null | undefined): 'en' | 'es' {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** The text for `key` in the member's language, with `{placeholders}` filled. */
export function t(
  locale: string | null | undefined,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  return catalogs[languageOf(locale)][key].replace(/\{(\w+)}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
}

const ENGLISH_ORDINAL: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** A position as members read it: "3rd" in English, "3" where the text says "puesto 3". */
export function ordinal(locale: string | null | undefined, n: number): string {
  if (languageOf(locale) !== 'en') return String(n);
  return `${n}${ENGLISH_ORDINAL[new Intl.PluralRules('en-US', { type: 'ordinal' }).select(n)] ?? 'th'}`;
}
