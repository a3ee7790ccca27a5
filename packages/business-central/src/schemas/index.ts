export * from './common.js';
export * from './company.js';
export * from './vendor.js';
export * from './account.js';
export * from './dimension.js';
export * from './purchase-invoice.js';
export * from './purchase-order.js';
export * from './subscription.js';
