import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@ml-connector/core';

/** The mapping files shipped with the example (`examples/mappings/bc-invoices/`). */
export const DEFAULT_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/bc-invoices/', import.meta.url));

/** A coding segment that becomes a Business Central dimension. */
export interface DimensionMapping {
  /** Business Central dimension code (`DEPARTMENT`). */
  readonly dimension: string;
  /** JAGGAER segment value → dimension value code. */
  readonly values: ReadonlyMap<string, string>;
}

/** The crosswalk tables of the bc-invoices flow, loaded from files. */
export interface InvoiceMappings {
  /** Short hash of every file's content: recorded with each `mapped` audit event. */
  readonly version: string;
  /** The directory they came from (for messages that say which file to fix). */
  readonly dir: string;
  /** JAGGAER supplier number → Business Central vendor number. */
  readonly vendors: ReadonlyMap<string, string>;
  /** JAGGAER GL code (`account` segment) → Business Central G/L account number. */
  readonly accounts: ReadonlyMap<string, string>;
  /** JAGGAER currency → Business Central currency code (empty: the company's local currency). */
  readonly currencies: ReadonlyMap<string, string>;
  /** JAGGAER unit of measure → Business Central unit of measure code. */
  readonly units: ReadonlyMap<string, string>;
  /** JAGGAER coding segment internal name → dimension. */
  readonly dimensions: ReadonlyMap<string, DimensionMapping>;
}

/** Parses a two-column CSV crosswalk with a header row; `"…"` quoting with doubled quotes is understood. */
export function parseCrosswalkCsv(text: string, file: string): Map<string, string> {
  const rows: string[][] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"') quoted = true;
      else if (char === ',') {
        cells.push(cell.trim());
        cell = '';
      } else cell += char;
    }
    if (quoted) throw new InvalidInputError(`${file} line ${index + 1}: unterminated quote`, { field: file });
    cells.push(cell.trim());
    if (cells.length !== 2) throw new InvalidInputError(`${file} line ${index + 1}: expected 2 columns (source,target), got ${cells.length}`, { field: file });
    rows.push(cells);
  }
  const map = new Map<string, string>();
  for (const [source, target] of rows.slice(1)) {
    if (!source) throw new InvalidInputError(`${file}: a row has an empty source value`, { field: file });
    if (map.has(source!)) throw new InvalidInputError(`${file}: "${source}" is mapped twice`, { field: file });
    map.set(source!, target!);
  }
  return map;
}

function parseDimensions(text: string, file: string): Map<string, DimensionMapping> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(error as Error).message}`, { field: file });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InvalidInputError(`${file} must hold an object keyed by coding segment`, { field: file });
  const out = new Map<string, DimensionMapping>();
  for (const [segment, spec] of Object.entries(json)) {
    if (segment.startsWith('$')) continue;
    const s = spec as { dimension?: unknown; values?: unknown };
    if (typeof s?.dimension !== 'string' || typeof s.values !== 'object' || s.values === null) {
      throw new InvalidInputError(`${file}: segment "${segment}" needs { "dimension": "CODE", "values": { "jaggaer": "bc" } }`, { field: `${file}#${segment}` });
    }
    out.set(segment, { dimension: s.dimension, values: new Map(Object.entries(s.values as Record<string, string>)) });
  }
  return out;
}

/** Loads the crosswalk files from `dir` (default: the ones shipped with the example). */
export function loadInvoiceMappings(dir: string = DEFAULT_MAPPINGS_DIR): InvoiceMappings {
  const hash = createHash('sha256');
  const read = (name: string) => {
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new InvalidInputError(`mapping file ${path} cannot be read; copy it from examples/mappings/bc-invoices/`, { field: name });
    }
    hash.update(name).update('\0').update(text).update('\0');
    return text;
  };
  const vendors = parseCrosswalkCsv(read('suppliers.csv'), 'suppliers.csv');
  const accounts = parseCrosswalkCsv(read('gl-accounts.csv'), 'gl-accounts.csv');
  const currencies = parseCrosswalkCsv(read('currencies.csv'), 'currencies.csv');
  const units = parseCrosswalkCsv(read('units.csv'), 'units.csv');
  const dimensions = parseDimensions(read('dimensions.json'), 'dimensions.json');
  return { version: hash.digest('hex').slice(0, 12), dir, vendors, accounts, currencies, units, dimensions };
}
