import { formatDimensionDisplayValue, parseDimensionDisplayValue } from '@ml-connector/d365-fo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const format = { dimensions: ['Department', 'Project'], delimiter: '-' };

describe('dimension display values', () => {
  it('parses what it formats, values holding the delimiter included when the values are known', () => {
    const plain = fc.stringMatching(/^[A-Z0-9]{1,6}$/);
    const dashed = fc.stringMatching(/^[A-Z]{1,3}(-[0-9]{1,3})?$/);
    fc.assert(
      fc.property(fc.option(plain, { nil: undefined }), fc.option(dashed, { nil: undefined }), fc.array(dashed, { maxLength: 4 }), (department, project, others) => {
        const values = { Department: department, Project: project };
        const text = formatDimensionDisplayValue(values, format);
        const known = { Department: department ? [department] : [], Project: [...(project ? [project] : []), ...others] };
        const parsed = parseDimensionDisplayValue(text, format, known);
        expect(parsed).toEqual(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the last dimension whole without known values and refuses extra segments it cannot place', () => {
    expect(parseDimensionDisplayValue('ADM-P-100', format)).toEqual({ Department: 'ADM', Project: 'P-100' });
    expect(parseDimensionDisplayValue('-P-100', format)).toEqual({ Project: 'P-100' });
    expect(parseDimensionDisplayValue('', format)).toEqual({});
    expect(() => parseDimensionDisplayValue('A-B-C', { dimensions: ['Department'], delimiter: '|' }, {})).not.toThrow();
    expect(() => parseDimensionDisplayValue('A|B|C', { dimensions: ['Department', 'Project'], delimiter: '|' }, { Project: ['B'] })).toThrow(/more segments/);
  });
});
