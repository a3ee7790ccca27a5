export * from './common.js';
export * from './vendor.js';
export * from './ledger.js';
export * from './purchasing.js';
