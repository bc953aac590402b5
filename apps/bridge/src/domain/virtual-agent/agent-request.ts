/**
 * Words that, alone or in a short message, mean "let me talk to a person" — in English and Spanish,
 * the languages the bot speaks. Matched on word boundaries, accents ignored.
 */
const AGENT_WORDS = [
  'agent',
  'agents',
  'human',
  'person',
  'persona',
  'agente',
  'humano',
  'representative',
  'operator',
  'operador',
  'staff',
  'support team',
  'real person',
  'someone real',
  'talk to someone',
  'speak to someone',
  'live chat',
  'hablar con alguien',
  'una persona',
  'soporte humano',
];

const pattern = new RegExp(`\\b(${AGENT_WORDS.map((word) => word.replace(/ /g, '\\s+')).join('|')})\\b`, 'i');

/** True when the member's text asks for a live agent rather than an answer. */
export function isAgentRequest(text: string): boolean {
  const plain = text.normalize('NFD').replace(/\p{Diacritic}/gu, '');
  return pattern.test(plain);
}
