// Curated exports of the http module (filled in by the module's implementation).
export {};
