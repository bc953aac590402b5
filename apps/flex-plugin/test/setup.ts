import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// `findBy…` waits up to 1 s by default: on a loaded 2-core machine a Paste form takes longer than
// that to render, and the query gives up on a screen that would have come. Wait longer; what the
// tests expect stays the same.
configure({ asyncUtilTimeout: 5_000 });

// Testing Library unmounts after each test by itself only with vitest's globals, which we do not use.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
