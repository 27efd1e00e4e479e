export * from './audit.ts';
export * from './auth.ts';
export * from './contacts.ts';
export * from './directory.ts';
export * from './disclosure.ts';
export * from './operations.ts';
export * from './shared.ts';
export * from './jurisdiction.ts';
