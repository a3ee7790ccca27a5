// Curated exports of the paging module (filled in by the module's implementation).
export {};
