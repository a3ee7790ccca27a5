/**
 * Financial dimension display values (`DefaultLedgerDimensionDisplayValue`, `DimensionDisplayValue`): the values of
 * the dimensions of the "Financial dimension configuration for integrating applications" format, in its order,
 * joined by its delimiter (FODOCS, "Financial dimension configuration for integrating applications"; default `-`). A
 * blank segment is a dimension left empty.
 */
import { InvalidInputError } from '@ml-connector/core';

/** The integration format of a display value. */
export interface DimensionDisplayFormat {
  /** Dimension names in the format's order, e.g. `['Department', 'Project']`. */
  dimensions: readonly string[];
  /** Segment delimiter. Default `-`. */
  delimiter?: string;
}

/**
 * Splits a default dimension display value into values by dimension name. A value may itself contain the
 * delimiter (`P-100` with `-`): `knownValues` (values by dimension) resolves that by taking, at each position, the
 * longest known value of that dimension; without it each segment is one piece and extra pieces are refused.
 *
 * @throws InvalidInputError when the text has more segments than the format has dimensions and cannot be resolved.
 */
export function parseDimensionDisplayValue(
  displayValue: string,
  format: DimensionDisplayFormat,
  knownValues?: Readonly<Record<string, readonly string[]>>,
): Record<string, string> {
  const delimiter = format.delimiter ?? '-';
  if (delimiter === '') throw new InvalidInputError('format.delimiter must not be empty', { field: 'format.delimiter' });
  const out: Record<string, string> = {};
  if (displayValue.trim() === '') return out;
  let rest = displayValue;
  format.dimensions.forEach((dimension, index) => {
    const last = index === format.dimensions.length - 1;
    const candidates = [...(knownValues?.[dimension] ?? [])].sort((a, b) => b.length - a.length);
    const known = candidates.find((value) => value !== '' && rest.toUpperCase().startsWith(value.toUpperCase()) && (rest.length === value.length || rest.startsWith(delimiter, value.length)));
    let value: string;
    if (known !== undefined) value = rest.slice(0, known.length);
    else if (last) value = rest;
    else {
      const at = rest.indexOf(delimiter);
      value = at === -1 ? rest : rest.slice(0, at);
    }
    rest = rest.slice(value.length);
    if (rest.startsWith(delimiter)) rest = rest.slice(delimiter.length);
    if (value !== '') out[dimension] = value;
  });
  if (rest !== '') {
    throw new InvalidInputError(`Display value '${displayValue}' has more segments than the format (${format.dimensions.join(delimiter)}); set the format of your integration`, { field: 'displayValue' });
  }
  return out;
}

/** Joins values into a display value of `format` (blank for a dimension without a value; trailing blanks dropped). */
export function formatDimensionDisplayValue(values: Readonly<Record<string, string | undefined>>, format: DimensionDisplayFormat): string {
  const delimiter = format.delimiter ?? '-';
  const segments = format.dimensions.map((dimension) => values[dimension] ?? '');
  while (segments.length > 0 && segments.at(-1) === '') segments.pop();
  return segments.join(delimiter);
}
