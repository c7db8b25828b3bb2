/**
 * User settings: the schema (documented in docs/settings.md; change both together), defaults,
 * migrations, validation and patches. Pure: the storage item lives in ./storage.ts (a seam), and
 * only the worker core writes it (UIs send patches with `changeSettings`).
 */
export * from './alert-rules';
export * from './migrations';
export * from './patch';
export * from './sanitize';
export * from './schema';
