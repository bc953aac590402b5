import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/browser/templates.ts';

const task = {
  defaultFrom: 'discord:123456789012345678',
  attributes: { customerName: 'Mika', discordUsername: 'mika_plays', tags: [] },
};

describe('Flex string templates in the host', () => {
  it('fills in values by path', () => {
    expect(
      renderTemplate('{{task.attributes.customerName}} ({{task.attributes.discordUsername}})', { task }),
    ).toBe('Mika (mika_plays)');
    expect(renderTemplate('{{{task.defaultFrom}}}', { task })).toBe('discord:123456789012345678');
  });

  it('follows nested if/else and unless blocks', () => {
    const template =
      '{{#if task.attributes.nickname}}{{task.attributes.nickname}}{{else}}' +
      '{{#if task.attributes.discordUsername}}{{task.attributes.discordUsername}}{{else}}Someone{{/if}}{{/if}}';
    expect(renderTemplate(template, { task })).toBe('mika_plays');
    expect(renderTemplate(template, { task: { attributes: {} } })).toBe('Someone');
    expect(renderTemplate('{{#unless task.attributes.tags}}no tags{{/unless}}', { task })).toBe('no tags');
  });

  it("renders Flex's own helpers as nothing, and missing values as empty", () => {
    expect(renderTemplate("{{{icon name='GreenIndicator'}}} {{task.nothing.here}} Live", { task })).toBe(
      'Live',
    );
  });

  it('gives text, never markup', () => {
    expect(
      renderTemplate('{{task.attributes.customerName}}', {
        task: { attributes: { customerName: '<b>x</b>' } },
      }),
    ).toBe('<b>x</b>');
  });
});
