import { describe, expect, it } from 'vitest';
import { translator } from '../src/agent/strings.ts';
import { agentName, describeEvent } from '../src/shared/case/case-format.ts';
import { CASE_STRINGS } from '../src/shared/case/case-strings.ts';
import { anEvent } from './fixtures.ts';

/** Outside Flex (no strings registered): the catalog's English. */
const en = translator({}, CASE_STRINGS);
/** In Flex with a Spanish-speaking agent: the Spanish `manager.strings` hold. */
const es = translator(CASE_STRINGS.es, CASE_STRINGS);

const dana = { kind: 'agent' as const, id: 'dana_40example_2Ecom', name: 'dana_40example_2Ecom' };

describe('timeline lines', () => {
  it('reads agents by their Flex identity as a person would', () => {
    expect(agentName('dana_40example_2Ecom')).toBe('Dana');
    expect(agentName('dana.smith@example.com')).toBe('Dana Smith');
    expect(agentName('Dana')).toBe('Dana');
  });

  it('says what changed, from what to what, and who did it', () => {
    expect(
      describeEvent(anEvent('status_changed', { actor: dana, data: { from: 'open', to: 'resolved' } }), en),
    ).toBe('Dana changed the status from Open to Resolved');
    expect(
      describeEvent(anEvent('priority_changed', { actor: dana, data: { from: 'normal', to: 'urgent' } }), en),
    ).toBe('Dana changed the priority from Normal to Urgent');
    expect(
      describeEvent(
        anEvent('assigned', { actor: dana, data: { from: null, to: 'dana_40example_2Ecom' } }),
        en,
      ),
    ).toBe('Dana assigned the case to Dana');
    expect(describeEvent(anEvent('assigned', { actor: dana, data: { from: 'leo', to: null } }), en)).toBe(
      'Dana unassigned the case',
    );
  });

  it('still says something when the data is missing', () => {
    expect(describeEvent(anEvent('status_changed', { actor: dana }), en)).toBe('Dana changed the status');
    expect(
      describeEvent(
        anEvent('conversation_ended', { actor: { kind: 'system', id: 'twilio', name: 'Twilio' } }),
        en,
      ),
    ).toBe('Chat ended');
  });

  it('says which message could not be delivered, to whom and why', () => {
    const system = { kind: 'system' as const, id: 'flexcord', name: 'Flexcord' };
    expect(
      describeEvent(
        anEvent('delivery_failed', {
          actor: system,
          data: { to: 'member', reason: "the member's DMs are closed" },
        }),
        en,
      ),
    ).toBe("A message could not be delivered to the member: the member's DMs are closed");
    expect(describeEvent(anEvent('delivery_failed', { actor: system, data: { to: 'agent' } }), en)).toBe(
      'A message could not be delivered to the agent',
    );
    expect(describeEvent(anEvent('delivery_replayed', { actor: system }), en)).toBe(
      'An undelivered message was sent again',
    );
  });

  it("says the same in the agent's language when Flex's strings are Spanish", () => {
    expect(
      describeEvent(anEvent('status_changed', { actor: dana, data: { from: 'open', to: 'resolved' } }), es),
    ).toBe('Dana cambió el estado de Abierto a Resuelto');
    expect(describeEvent(anEvent('delivery_replayed', { actor: dana }), es)).toBe(
      'Se volvió a enviar un mensaje no entregado',
    );
  });
});
