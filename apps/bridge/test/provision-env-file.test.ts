import { describe, expect, it } from 'vitest';
import { parseEnvFile, updateEnvText } from '../src/provision/env-file.ts';

describe('the .env file provisioning writes', () => {
  const text = [
    '# Flexcord',
    'export PUBLIC_BASE_URL=https://flexcord.example.com # the public URL',
    "QUOTED='a # not a comment'",
    'TWILIO_STUDIO_FLOW_SID=',
    '',
    '# Community',
    'MODERATOR_ROLE_IDS=1',
    '',
  ].join('\n');

  it('reads values the way Node and dotenv do', () => {
    expect(parseEnvFile(text)).toEqual({
      PUBLIC_BASE_URL: 'https://flexcord.example.com',
      QUOTED: 'a # not a comment',
      TWILIO_STUDIO_FLOW_SID: '',
      MODERATOR_ROLE_IDS: '1',
    });
  });

  it('replaces values in place and appends new keys, keeping comments, order and blank lines', () => {
    const next = updateEnvText(text, {
      TWILIO_STUDIO_FLOW_SID: 'FW0123',
      MODERATOR_ROLE_IDS: '1,2',
      NEW_ONE: 'has spaces',
    });
    expect(next).toBe(
      [
        '# Flexcord',
        'export PUBLIC_BASE_URL=https://flexcord.example.com # the public URL',
        "QUOTED='a # not a comment'",
        'TWILIO_STUDIO_FLOW_SID=FW0123',
        '',
        '# Community',
        'MODERATOR_ROLE_IDS=1,2',
        'NEW_ONE="has spaces"',
        '',
      ].join('\n'),
    );
    expect(updateEnvText(next, { TWILIO_STUDIO_FLOW_SID: 'FW0123' })).toBe(next);
  });

  it('keeps Windows line endings', () => {
    expect(updateEnvText('A=1\r\nB=2\r\n', { B: '3' })).toBe('A=1\r\nB=3\r\n');
  });
});
