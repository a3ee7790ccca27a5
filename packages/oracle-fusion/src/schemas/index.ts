export * from './common.js';
export * from './supplier.js';
export * from './invoice.js';
export * from './purchase-order.js';
export * from './account.js';
export * from './receipt.js';
