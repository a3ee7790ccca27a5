/** Re-exported so the package keeps the connector skeleton: NAV-specific errors live in metadata.ts. */
export { NavMetadataMismatchError, isNavMetadataMismatchError, type MetadataProblem } from "./metadata.js";
