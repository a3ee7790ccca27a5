
// The sandbox serves the client's canonical path table, so client and emulator cannot drift apart.
export { DEFAULT_JAGGAER_PATHS, type JaggaerPaths, type KeycloakLayout, keycloakPathLayouts, resolveJaggaerPaths } from '../paths.js';

/** A compiled path template. */
export interface PathMatcher {
  /** The template it was compiled from. */
  readonly template: string;
  /** The placeholder values when `pathname` matches, else `undefined`. */
  match(pathname: string): Record<string, string> | undefined;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const stripSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Compiles a template like `/a/{invoiceId}/b`; a trailing slash is optional on both sides (J1P samples differ). */
export function compilePath(template: string): PathMatcher {
  const names: string[] = [];
  const source = stripSlash(template)
    .split(PLACEHOLDER)
    .map((part, i) => {
      if (i % 2 === 1) {
        names.push(part);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return {
    template,
    match(pathname) {
      const m = regex.exec(stripSlash(pathname));
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] as string);
      });
      return params;
    },
  };
}
