import { describe, expect, it } from 'vitest';
import { rewriteTwilioUrl, twilioClientOptions } from '../src/index.ts';

describe('rewriteTwilioUrl', () => {
  it('keeps the product as the first path segment', () => {
    expect(
      rewriteTwilioUrl(
        'https://conversations.twilio.com/v1/Conversations?PageSize=50',
        'http://127.0.0.1:4000/',
      ),
    ).toBe('http://127.0.0.1:4000/conversations/v1/Conversations?PageSize=50');
    expect(rewriteTwilioUrl('https://flex-api.twilio.com/v1/Interactions', 'http://h:1')).toBe(
      'http://h:1/flex-api/v1/Interactions',
    );
  });

  it('drops the region and edge of regional hosts', () => {
    expect(rewriteTwilioUrl('https://studio.dublin.ie1.twilio.com/v2/Flows', 'http://h:1')).toBe(
      'http://h:1/studio/v2/Flows',
    );
  });

  it('leaves other URLs alone', () => {
    expect(rewriteTwilioUrl('https://example.com/v1/x', 'http://h:1')).toBe('https://example.com/v1/x');
  });

  it('gives the real Twilio no custom client', () => {
    expect(twilioClientOptions(undefined)).toEqual({});
    expect(twilioClientOptions('https://twilio.com')).toEqual({});
    expect(twilioClientOptions('http://127.0.0.1:9').httpClient).toBeDefined();
  });
});
