// Curated exports of the odata module (filled in by the module's implementation).
export {};
