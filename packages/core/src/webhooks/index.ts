// Curated exports of the webhooks module (filled in by the module's implementation).
export {};
