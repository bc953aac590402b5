import { describe, expect, it } from 'vitest';
import { refusalText } from '../src/web/member/refusal-text.ts';
import { translator } from '../src/web/member/strings.ts';
import { ApiError } from '../src/web/shared/api-error.ts';

/** Discord's answer to a message over 2,000 characters, as the emulator's control API relays it. */
const tooLong = new ApiError('Invalid Form Body', 400, null, 50035, {
  content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
});

describe("Discord's refusals, in the member's words", () => {
  it('says a message is too long, in Spanish for Lucía, never the raw code', () => {
    const text = refusalText(tooLong, translator('es'));
    expect(text).toBe('Tu mensaje es demasiado largo: un mensaje puede tener hasta 2000 caracteres.');
    expect(text).not.toMatch(/Invalid Form Body|50035/);
    expect(refusalText(tooLong, translator('en'))).toBe(
      'Your message is too long: a message can have up to 2000 characters.',
    );
  });

  it('names the other refusals in the language too', () => {
    const es = translator('es');
    expect(refusalText(new ApiError('Request entity too large', 413, null, 40005), es)).toBe(
      'Tu archivo es demasiado grande: puedes subir archivos de hasta 10 MB. Prueba con uno más pequeño o comparte un enlace.',
    );
    expect(refusalText(new ApiError('Missing Permissions', 403, null, 50013), es)).toBe(
      'No tienes permiso para enviar mensajes en este canal.',
    );
    const files = new ApiError('Invalid Form Body', 400, null, 50035, {
      attachments: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
    });
    expect(refusalText(files, es)).toBe(
      'Puedes adjuntar hasta 10 archivos a un mensaje. Envía el resto en otro mensaje.',
    );
  });
});
