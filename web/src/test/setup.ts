/** Imported first by every web test: the English catalog, and unmounting after each test. */
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { initI18n } from '../i18n/index.ts';

initI18n();

afterEach(() => {
  cleanup();
});
