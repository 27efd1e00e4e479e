export * from './shared.ts';
export * from './directory.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './operations.ts';
export * from './contacts.ts';
