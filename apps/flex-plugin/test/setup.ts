import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Testing Library unmounts after each test by itself only with vitest's globals, which we do not use.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
