export { createSyncEngine } from './engine.js';
export { type SyncEngineOptions } from './options.js';
export { type FailureClass, classifyFailure } from './classify.js';
export { contentHash } from './content-hash.js';
