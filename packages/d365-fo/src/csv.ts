/** Minimal RFC 4180 CSV helpers for Data management files (error keys, emulator packages). */

/** Quotes one CSV field when needed (RFC 4180). */
export function csvEscape(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Parses CSV text (RFC 4180 quoting) into rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += '"', i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}


/**
 * An RFC 4180 CSV parser fed text in pieces (a package streamed chunk by chunk): a quote, a doubled quote or a
 * CRLF split across two pieces is handled. `push` returns the rows completed so far, `end` the last one.
 */
export class CsvRowParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote was read inside a quoted field; the next character decides (closing or doubled). */
  private quoteSeen = false;
  /** A CR ended the last row; a following LF belongs to it. */
  private crSeen = false;

  /** Parses the next piece of text; returns the rows it completed. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i++) this.step(text[i] as string, rows);
    return rows;
  }

  /** Ends the input; returns the last row when the text did not end with a line break. */
  end(): string[][] {
    this.quoteSeen = false;
    this.quoted = false;
    if (this.field === '' && this.row.length === 0) return [];
    const row = [...this.row, this.field];
    this.row = [];
    this.field = '';
    return [row];
  }

  private step(ch: string, rows: string[][]): void {
    if (this.crSeen) {
      this.crSeen = false;
      if (ch === '\n') return;
    }
    if (this.quoted) {
      if (!this.quoteSeen) {
        if (ch === '"') this.quoteSeen = true;
        else this.field += ch;
        return;
      }
      this.quoteSeen = false;
      if (ch === '"') {
        this.field += '"';
        return;
      }
      this.quoted = false;
    }
    if (ch === '"') this.quoted = true;
    else if (ch === ',') this.row.push(this.field), (this.field = '');
    else if (ch === '\n' || ch === '\r') {
      this.crSeen = ch === '\r';
      rows.push([...this.row, this.field]);
      this.row = [];
      this.field = '';
    } else this.field += ch;
  }
}
