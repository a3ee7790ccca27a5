import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { InvalidInputError } from '../../errors/index.js';
import { type Crosswalk, type CrosswalkEntry, type CrosswalkFallback, type CrosswalkValue, defineCrosswalk, showText } from './crosswalk.js';
import { type MappingSet, createMappingSet } from './mapping-set.js';

/** Rules a loader applies to a table, besides its rows. */
export interface CrosswalkRules {
  /** Whether `abc` and `ABC` are different keys. Default `true`. */
  readonly caseSensitive?: boolean;
  /** Whether white space around keys and values is dropped. Default `true`. */
  readonly trim?: boolean;
  /** What a lookup of a missing key does. Default `'error'`. */
  readonly fallback?: CrosswalkFallback;
  /** Where the text comes from (a file path), named in error messages. */
  readonly source?: string;
}

/** Options of {@link parseCrosswalkJson}. */
export interface ParseCrosswalkJsonOptions extends Pick<CrosswalkRules, 'source'> {
  /** Table name. A `name` inside the document must equal it. */
  readonly name: string;
}

/** Options of {@link parseCrosswalkCsv}. */
export interface ParseCrosswalkCsvOptions extends CrosswalkRules {
  /** Table name. */
  readonly name: string;
  /** Version of the content. Default: `sha256:` and the first 16 hex digits of the text's hash. */
  readonly version?: string;
  /** Header of the key column. Default `key`. */
  readonly keyColumn?: string;
  /**
   * Header(s) of the value column(s). A string makes a table of plain strings; an array makes a table of
   * records with those fields. Default: every other column, as a record, except that a file whose only other
   * column is `value` makes a table of plain strings.
   */
  readonly valueColumns?: string | readonly string[];
}

const valueSchema = z.union([z.string(), z.record(z.string(), z.string())]);
const fallbackSchema = z.union([z.literal('error'), z.literal('identity'), z.strictObject({ default: valueSchema })]);
const crosswalkJsonSchema = z.strictObject({
  name: z.string().optional(),
  version: z.string().min(1),
  caseSensitive: z.boolean().optional(),
  trim: z.boolean().optional(),
  fallback: fallbackSchema.optional(),
  entries: z.array(z.strictObject({ key: z.string(), value: valueSchema })),
});

/** The JSON form of a crosswalk file, as {@link parseCrosswalkJson} reads it. */
export interface CrosswalkJson {
  /** Must equal the table name it is loaded as, when present. */
  name?: string;
  version: string;
  caseSensitive?: boolean;
  trim?: boolean;
  fallback?: CrosswalkFallback;
  /** Rows as an array, so a duplicated key stays visible. */
  entries: CrosswalkEntry[];
}

// Fails to compile when the interface and the schema drift apart.
type True<T extends true> = T;
type _CrosswalkJsonCheck = [
  True<z.input<typeof crosswalkJsonSchema> extends CrosswalkJson ? true : false>,
  True<CrosswalkJson extends z.input<typeof crosswalkJsonSchema> ? true : false>,
];

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('') || '(document)';
}

/**
 * Reads a crosswalk from JSON: `{ "version": "2026-11-01", "caseSensitive"?: false, "trim"?: true,
 * "fallback"?: "error" | "identity" | { "default": … }, "entries": [{ "key": "6000", "value": { "account": "8110" } }] }`.
 * Rows are an array (not an object) so that a duplicated key cannot silently disappear in `JSON.parse`.
 *
 * @throws InvalidInputError naming the file, the line and column of a syntax error or the field at fault.
 */
export function parseCrosswalkJson(text: string, options: ParseCrosswalkJsonOptions): Crosswalk {
  const label = options.source ?? `crosswalk "${options.name}"`;
  if (typeof text !== 'string') throw new InvalidInputError(`${label}: the JSON text must be a string`, { field: 'text' });
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // V8's message carries the position, e.g. "… in JSON at position 41 (line 3 column 5)".
    throw new InvalidInputError(`${label}: not valid JSON: ${(error as Error).message}`, { field: 'text', cause: error });
  }
  const parsed = crosswalkJsonSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const field = pathText(issue.path);
    throw new InvalidInputError(`${label}: ${field}: ${issue.message}`, { field });
  }
  const document = parsed.data;
  if (document.name !== undefined && document.name !== options.name) {
    throw new InvalidInputError(`${label}: "name" is ${showText(document.name)} but the table is loaded as ${showText(options.name)}; make them equal`, {
      field: 'name',
    });
  }
  return defineCrosswalk({
    name: options.name,
    version: document.version,
    entries: document.entries,
    ...(document.caseSensitive !== undefined ? { caseSensitive: document.caseSensitive } : {}),
    ...(document.trim !== undefined ? { trim: document.trim } : {}),
    ...(document.fallback !== undefined ? { fallback: document.fallback as CrosswalkFallback } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
}

/**
 * Reads a crosswalk from CSV (RFC 4180 with a header row, parsed by `csv-parse`): quoted fields may hold commas,
 * doubled quotes and line breaks; a UTF-8 byte order mark and blank lines are ignored. Every row needs the key
 * and every value column filled.
 *
 * @throws InvalidInputError naming the file, the line and the column at fault.
 */
export function parseCrosswalkCsv(text: string, options: ParseCrosswalkCsvOptions): Crosswalk {
  const label = options.source ?? `crosswalk "${options.name}"`;
  if (typeof text !== 'string') throw new InvalidInputError(`${label}: the CSV text must be a string`, { field: 'text' });
  const keyColumn = options.keyColumn ?? 'key';
  let header: string[] = [];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      columns: (names: string[]) => {
        const seen = new Set<string>();
        for (const name of names) {
          if (seen.has(name)) throw new InvalidInputError(`${label}: line 1: the header names column ${showText(name)} twice; rename one`, { field: 'header' });
          seen.add(name);
        }
        header = names;
        return names;
      },
    }) as unknown as typeof rows;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const lines = error instanceof CsvError ? (error as unknown as { lines?: unknown }).lines : undefined;
    const line = typeof lines === 'number' ? `line ${lines}: ` : '';
    throw new InvalidInputError(`${label}: ${line}not valid CSV: ${(error as Error).message}`, { field: 'text', cause: error });
  }
  if (header.length === 0) throw new InvalidInputError(`${label}: the file is empty; it needs a header row such as "${keyColumn},value"`, { field: 'header' });
  const missing = (column: string) => !header.includes(column);
  if (missing(keyColumn)) {
    throw new InvalidInputError(`${label}: line 1: no key column ${showText(keyColumn)} (columns: ${header.join(', ')}); rename it or pass keyColumn`, { field: 'keyColumn' });
  }
  const others = header.filter((name) => name !== keyColumn);
  const columns = options.valueColumns ?? (others.length === 1 && others[0] === 'value' ? 'value' : others);
  const wanted = typeof columns === 'string' ? [columns] : [...columns];
  if (wanted.length === 0) throw new InvalidInputError(`${label}: no value columns besides ${showText(keyColumn)}; add one`, { field: 'valueColumns' });
  for (const column of wanted) {
    if (missing(column)) {
      throw new InvalidInputError(`${label}: line 1: no value column ${showText(column)} (columns: ${header.join(', ')}); rename it or pass valueColumns`, { field: 'valueColumns' });
    }
  }
  const lines: number[] = [];
  const entries: CrosswalkEntry[] = rows.map(({ record, info }) => {
    lines.push(info.lines);
    const value: CrosswalkValue =
      typeof columns === 'string' ? (record[columns] as string) : Object.fromEntries(wanted.map((column) => [column, record[column] as string]));
    return { key: record[keyColumn] as string, value };
  });
  return defineCrosswalk(
    {
      name: options.name,
      version: options.version ?? `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
      entries,
      ...(options.caseSensitive !== undefined ? { caseSensitive: options.caseSensitive } : {}),
      ...(options.trim !== undefined ? { trim: options.trim } : {}),
      ...(options.fallback !== undefined ? { fallback: options.fallback } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
    },
    (index) => `line ${lines[index] ?? '?'}`,
  );
}

async function readTable(file: string): Promise<string> {
  if (typeof file !== 'string' || file === '') throw new InvalidInputError('A crosswalk file path is required', { field: 'file' });
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`Cannot read the crosswalk file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      field: 'file',
      cause: error,
    });
  }
}

/** Reads one JSON crosswalk file (see {@link parseCrosswalkJson}); the table is named after the file unless `name` is given. */
export async function loadCrosswalkJson(file: string, options: Partial<ParseCrosswalkJsonOptions> = {}): Promise<Crosswalk> {
  const text = await readTable(file);
  return parseCrosswalkJson(text, { name: options.name ?? basename(file, extname(file)), source: options.source ?? file });
}

/** Reads one CSV crosswalk file (see {@link parseCrosswalkCsv}); the table is named after the file unless `name` is given. */
export async function loadCrosswalkCsv(file: string, options: Partial<ParseCrosswalkCsvOptions> = {}): Promise<Crosswalk> {
  const text = await readTable(file);
  return parseCrosswalkCsv(text, { ...options, name: options.name ?? basename(file, extname(file)), source: options.source ?? file });
}

/** Options of {@link loadMappingSet}. */
export interface LoadMappingSetOptions {
  /** CSV options per table name (file name without `.csv`); `name` and `source` are set from the file. */
  readonly csv?: Readonly<Record<string, Omit<ParseCrosswalkCsvOptions, 'name' | 'source'>>>;
  /** Table names that must be present (for example the standard crosswalk names the flow uses). */
  readonly require?: readonly string[];
}

/**
 * Loads every `*.json` and `*.csv` file of a directory (not its subdirectories) as a crosswalk named after the
 * file (`gl-account.csv` → `gl-account`) and returns them as a {@link MappingSet}. Other files are ignored.
 *
 * @throws InvalidInputError for an unreadable directory, a bad file (naming it), two files for one table, or a
 * required table that has no file.
 */
export async function loadMappingSet(dir: string, options: LoadMappingSetOptions = {}): Promise<MappingSet> {
  if (typeof dir !== 'string' || dir === '') throw new InvalidInputError('loadMappingSet needs a directory path', { field: 'dir' });
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new InvalidInputError(`Cannot read the mapping directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      field: 'dir',
      cause: error,
    });
  }
  const tables: Crosswalk[] = [];
  const files = new Map<string, string>();
  for (const file of names.sort()) {
    const extension = extname(file).toLowerCase();
    if (extension !== '.json' && extension !== '.csv') continue;
    const name = basename(file, extname(file));
    const source = join(dir, file);
    const other = files.get(name);
    if (other) throw new InvalidInputError(`Both ${other} and ${source} define the crosswalk "${name}"; keep one`, { field: 'dir' });
    files.set(name, source);
    tables.push(extension === '.json' ? await loadCrosswalkJson(source, { name }) : await loadCrosswalkCsv(source, { ...options.csv?.[name], name }));
  }
  for (const name of options.require ?? []) {
    if (!files.has(name)) throw new InvalidInputError(`The mapping directory ${dir} has no ${name}.csv or ${name}.json; add it`, { field: 'dir' });
  }
  return createMappingSet({ tables });
}
