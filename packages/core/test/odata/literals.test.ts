import { describe, expect, it } from 'vitest';
import { edm, formatLiteral, isEdmLiteral, isInvalidInputError } from '@ml-connector/core';

function invalidInput(action: () => unknown): { message: string; field: string | undefined } {
  try {
    action();
  } catch (error) {
    if (isInvalidInputError(error)) return { message: error.message, field: error.field };
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('edm literals', () => {
  it('doubles single quotes in strings and leaves other characters for URL encoding', () => {
    expect(edm.string("O'Brien & Sons #1 100%").text).toBe("'O''Brien & Sons #1 100%'");
    expect(edm.string('').text).toBe("''");
    expect(edm.string("''").text).toBe("''''''");
  });

  it('formats GUIDs unquoted and rejects anything else', () => {
    expect(edm.guid('6F9619FF-8B86-D011-B42D-00C04FC964FF').text).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(invalidInput(() => edm.guid('{6f9619ff-8b86-d011-b42d-00c04fc964ff}')).message).toMatch(/8-4-4-4-12/);
    expect(invalidInput(() => edm.guid('nope')).field).toBe('Edm.Guid');
  });

  it('formats DateTimeOffset from a Date (UTC) or a validated ISO string', () => {
    expect(edm.dateTimeOffset(new Date(Date.UTC(2024, 0, 31, 8, 30))).text).toBe('2024-01-31T08:30:00.000Z');
    expect(edm.dateTimeOffset('2024-01-31T08:30:00+01:00').text).toBe('2024-01-31T08:30:00+01:00');
    expect(edm.dateTimeOffset('2024-02-29T23:59:59.1234567Z').text).toBe('2024-02-29T23:59:59.1234567Z');
    for (const bad of ['2024-01-31', '2024-01-31T08:30:00', '2023-02-29T00:00:00Z', '2024-01-31T24:00:00Z', '2024-13-01T00:00:00Z']) {
      expect(invalidInput(() => edm.dateTimeOffset(bad)).message).toMatch(/ISO 8601/);
    }
    expect(invalidInput(() => edm.dateTimeOffset(new Date(Number.NaN))).message).toMatch(/Invalid Date/);
  });

  it('formats Date and TimeOfDay', () => {
    expect(edm.date('2024-01-31').text).toBe('2024-01-31');
    expect(edm.date(new Date(Date.UTC(2024, 1, 29, 23))).text).toBe('2024-02-29');
    expect(invalidInput(() => edm.date('2024-02-30')).message).toMatch(/YYYY-MM-DD/);
    expect(edm.timeOfDay('13:45:30.5').text).toBe('13:45:30.5');
    expect(invalidInput(() => edm.timeOfDay('25:00')).field).toBe('Edm.TimeOfDay');
  });

  it('formats decimals without exponent notation', () => {
    expect(edm.decimal('12.50').text).toBe('12.50');
    expect(edm.decimal('+.5').text).toBe('0.5');
    expect(edm.decimal('-7.').text).toBe('-7');
    expect(edm.decimal(1e-7).text).toBe('0.0000001');
    expect(edm.decimal(1.5e21).text).toBe('1500000000000000000000');
    expect(edm.decimal(-0.000123).text).toBe('-0.000123');
    expect(edm.decimal(12345678901234567890n).text).toBe('12345678901234567890');
    for (const bad of ['1e5', '1,000.00', '', '.', 'abc', ' 1']) {
      expect(invalidInput(() => edm.decimal(bad)).message).toMatch(/without exponent/);
    }
    expect(invalidInput(() => edm.decimal(Number.NaN)).message).toMatch(/finite/);
    expect(invalidInput(() => edm.decimal(Infinity)).field).toBe('Edm.Decimal');
  });

  it('formats Int32/Int64 from numbers, bigints and digit strings within range', () => {
    expect(edm.int32(-42).text).toBe('-42');
    expect(edm.int32('2147483647').text).toBe('2147483647');
    expect(invalidInput(() => edm.int32(2 ** 31)).message).toMatch(/out of range/);
    expect(edm.int64(9223372036854775807n).text).toBe('9223372036854775807');
    expect(edm.int64('-0009').text).toBe('-9');
    expect(invalidInput(() => edm.int64(2 ** 53)).message).toMatch(/not a safe integer/);
    expect(invalidInput(() => edm.int64(1.5)).field).toBe('Edm.Int64');
    expect(invalidInput(() => edm.int64('9223372036854775808')).message).toMatch(/out of range/);
    expect(invalidInput(() => edm.int64('12a')).message).toMatch(/digit string/);
  });

  it('formats doubles, booleans, null, enums and binary', () => {
    expect(edm.double(1.5e300).text).toBe('1.5e+300');
    expect(invalidInput(() => edm.double(Number.NEGATIVE_INFINITY)).field).toBe('Edm.Double');
    expect(edm.boolean(false).text).toBe('false');
    expect(edm.null().text).toBe('null');
    expect(edm.enum('Microsoft.Dynamics.DataEntities.NoYes', 'Yes').text).toBe("Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(edm.enum('Sales.Pattern', 'Red,Blue').text).toBe("Sales.Pattern'Red,Blue'");
    expect(invalidInput(() => edm.enum('NoYes', 'Yes')).message).toMatch(/namespace-qualified/);
    expect(invalidInput(() => edm.enum('Microsoft.Dynamics.DataEntities.NoYes', "Yes' or 1 eq 1")).field).toBe('enumMember');
    expect(edm.binary(new Uint8Array([0xfb, 0xff, 0x01])).text).toBe("binary'-_8B'");
  });

  it('infers the literal type from plain JavaScript values', () => {
    expect(formatLiteral("it's")).toBe("'it''s'");
    expect(formatLiteral(42)).toBe('42');
    expect(formatLiteral(-0.25)).toBe('-0.25');
    expect(formatLiteral(2e-7)).toBe('0.0000002');
    expect(formatLiteral(2n ** 60n)).toBe('1152921504606846976');
    expect(formatLiteral(true)).toBe('true');
    expect(formatLiteral(null)).toBe('null');
    expect(formatLiteral(new Date(Date.UTC(2024, 0, 1)))).toBe('2024-01-01T00:00:00.000Z');
    expect(formatLiteral(edm.guid('6f9619ff-8b86-d011-b42d-00c04fc964ff'))).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(isEdmLiteral(edm.date('2024-01-01'))).toBe(true);
    expect(isEdmLiteral({ text: 'x' })).toBe(false);
  });

  it('rejects values that cannot be expressed, naming the argument', () => {
    expect(invalidInput(() => formatLiteral(Number.NaN, 'filter.value')).message).toMatch(/^filter\.value NaN is not a finite number/);
    expect(invalidInput(() => formatLiteral(2 ** 60)).message).toMatch(/bigint/);
    expect(invalidInput(() => formatLiteral(undefined as never)).message).toMatch(/cannot be sent/);
    expect(invalidInput(() => formatLiteral({} as never)).message).toBe('value an object cannot be sent as an OData literal; pass a string, number, bigint, boolean, null, Date or an edm.*() literal');
    expect(invalidInput(() => formatLiteral('\uD800x')).message).toMatch(/unpaired UTF-16 surrogate/);
  });
});
