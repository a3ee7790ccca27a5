import { describe, expect, it } from 'vitest';
import {
  buildMultipartBatch,
  isBatchOperationNotExecutedError,
  isOutcomeUnknownError,
  isServerError,
  isValidationError,
  matchMultipartBatchResponse,
  type MultipartBatchPart,
  parseMultipartBatchResponse,
  ResponseValidationError,
} from '@ml-connector/core';

const customer = { dataAreaId: 'usmf', CustomerAccount: 'US-999', OrganizationName: 'Contoso & Co' };

describe('buildMultipartBatch', () => {
  it('writes changesets, Content-IDs, request lines, headers and JSON bodies with CRLF', () => {
    const batch = buildMultipartBatch(
      [
        {
          changeset: [
            { method: 'POST', url: 'CustomersV3', body: customer },
            { method: 'PATCH', url: "CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')", headers: { 'If-Match': '*' }, body: { CreditLimit: 500 } },
          ],
        },
        { method: 'GET', url: "VendorsV2?$filter=VendorAccountNumber%20eq%20'V-1'&$top=1", headers: { Accept: 'application/json' }, contentId: 'read' },
      ],
      { boundary: 'batch_A', changesetBoundaries: ['changeset_B'] },
    );
    expect(batch.headers).toEqual({ 'Content-Type': 'multipart/mixed; boundary=batch_A', Accept: 'multipart/mixed' });
    expect(batch.body).toBe(
      [
        '--batch_A',
        'Content-Type: multipart/mixed; boundary=changeset_B',
        '',
        '--changeset_B',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 1',
        '',
        'POST CustomersV3 HTTP/1.1',
        'Content-Type: application/json',
        '',
        JSON.stringify(customer),
        '--changeset_B',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 2',
        '',
        "PATCH CustomersV3(dataAreaId='usmf',CustomerAccount='US-001') HTTP/1.1",
        'If-Match: *',
        'Content-Type: application/json',
        '',
        '{"CreditLimit":500}',
        '--changeset_B--',
        '',
        '--batch_A',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: read',
        '',
        "GET VendorsV2?$filter=VendorAccountNumber%20eq%20'V-1'&$top=1 HTTP/1.1",
        'Accept: application/json',
        '',
        '',
        '--batch_A--',
        '',
      ].join('\r\n'),
    );
    expect(batch.parts[0]).toEqual({
      changeset: [expect.objectContaining({ contentId: '1' }), expect.objectContaining({ contentId: '2' })],
    });
  });

  it('uses random boundaries by default and never reuses an explicit Content-ID', () => {
    const batch = buildMultipartBatch([{ changeset: [{ method: 'POST', url: 'A', body: {} }, { method: 'POST', url: 'B', body: {}, contentId: '1' }] }]);
    expect(batch.headers['Content-Type']).toMatch(/^multipart\/mixed; boundary=batch_[0-9a-f-]{36}$/);
    expect(batch.body).toMatch(/boundary=changeset_[0-9a-f-]{36}\r\n/);
    expect(batch.parts[0]).toEqual({ changeset: [expect.objectContaining({ contentId: '2' }), expect.objectContaining({ contentId: '1' })] });
  });

  it('rejects GETs in changesets, bad boundaries, boundary collisions and header injection', () => {
    const bad: [MultipartBatchPart[], object, RegExp][] = [
      [[{ changeset: [{ method: 'GET', url: 'A' }] }], {}, /changesets may only contain writes/],
      [[{ changeset: [] }], {}, /at least one request/],
      [[{ method: 'GET', url: 'A' }], { boundary: 'has space' }, /boundary must be 1–70/],
      [[{ method: 'POST', url: 'A', body: '--batch_A--' }], { boundary: 'batch_A' }, /occurs inside the batch content/],
      [[{ method: 'GET', url: 'A', headers: { 'X-Evil': 'x\nHost: other' } }], {}, /without line breaks/],
      [[{ method: 'GET', url: 'A B' }], {}, /without spaces/],
      [[{ method: 'GET', url: 'A', contentId: 'x' }, { method: 'GET', url: 'B', contentId: 'x' }], {}, /unique within the batch/],
      [[], {}, /at least one request/],
    ];
    for (const [parts, options, message] of bad) expect(() => buildMultipartBatch(parts, options)).toThrow(message);
  });
});

// Shaped like a Dynamics 365 F&O /data/$batch response: a successful changeset, then a query.
const financeAndOperationsResponse = [
  '--batchresponse_4a6e0c6b-5c47-4a5d-8c77-06d6a4f1d3b2',
  'Content-Type: multipart/mixed; boundary=changesetresponse_b1f3a9f0-3c2d-4e1b-9a7e-2f5d8c6b4a10',
  '',
  '--changesetresponse_b1f3a9f0-3c2d-4e1b-9a7e-2f5d8c6b4a10',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 1',
  '',
  'HTTP/1.1 201 Created',
  "Location: https://usmf.operations.dynamics.com/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-999')",
  'Content-Type: application/json; odata.metadata=minimal',
  'ETag: W/"JzEsNTYzNzE0NDU3Nic="',
  'OData-Version: 4.0',
  '',
  '{"@odata.context":"https://usmf.operations.dynamics.com/data/$metadata#CustomersV3/$entity","@odata.etag":"W/\\"JzEsNTYzNzE0NDU3Nic=\\"","dataAreaId":"usmf","CustomerAccount":"US-999","OrganizationName":"Contoso & Co"}',
  '--changesetresponse_b1f3a9f0-3c2d-4e1b-9a7e-2f5d8c6b4a10',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 2',
  '',
  'HTTP/1.1 204 No Content',
  'ETag: W/"JzEsNTYzNzE0NDU3OCc="',
  'OData-Version: 4.0',
  '',
  '',
  '--changesetresponse_b1f3a9f0-3c2d-4e1b-9a7e-2f5d8c6b4a10--',
  '--batchresponse_4a6e0c6b-5c47-4a5d-8c77-06d6a4f1d3b2',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  '',
  'HTTP/1.1 200 OK',
  'Content-Type: application/json; odata.metadata=minimal',
  'OData-Version: 4.0',
  '',
  '{"@odata.context":"https://usmf.operations.dynamics.com/data/$metadata#VendorsV2","value":[{"dataAreaId":"usmf","VendorAccountNumber":"V-1","VendorName":"Fabrikam"}]}',
  '--batchresponse_4a6e0c6b-5c47-4a5d-8c77-06d6a4f1d3b2--',
  '',
].join('\r\n');
const financeAndOperationsContentType = 'multipart/mixed; boundary=batchresponse_4a6e0c6b-5c47-4a5d-8c77-06d6a4f1d3b2';

// F&O answers a failed changeset with one error response in its place and stops processing the batch.
const failedChangesetResponse = [
  'preamble that must be ignored',
  '--batchresponse_e1',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  '',
  'HTTP/1.1 500 Internal Server Error',
  'Content-Type: application/json; odata.metadata=minimal',
  'OData-Version: 4.0',
  '',
  '{"error":{"code":"","message":"An error has occurred.","innererror":{"message":"Write failed for table row of type \'CustCustomerV3Entity\'. Infolog: Error: Customer group \'99\' does not exist.","type":"Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException"}}}',
  '--batchresponse_e1--',
].join('\n');

describe('parseMultipartBatchResponse', () => {
  it('parses nested changeset responses, Content-IDs, headers and JSON bodies', () => {
    const parts = parseMultipartBatchResponse(financeAndOperationsResponse, financeAndOperationsContentType);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toEqual({
      changeset: [
        {
          contentId: '1',
          status: 201,
          statusText: 'Created',
          headers: {
            location: "https://usmf.operations.dynamics.com/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-999')",
            'content-type': 'application/json; odata.metadata=minimal',
            etag: 'W/"JzEsNTYzNzE0NDU3Nic="',
            'odata-version': '4.0',
          },
          body: expect.objectContaining({ CustomerAccount: 'US-999', '@odata.etag': 'W/"JzEsNTYzNzE0NDU3Nic="' }),
        },
        { contentId: '2', status: 204, statusText: 'No Content', headers: { etag: 'W/"JzEsNTYzNzE0NDU3OCc="', 'odata-version': '4.0' }, body: undefined },
      ],
    });
    expect(parts[1]).toEqual({
      response: expect.objectContaining({ status: 200, body: expect.objectContaining({ value: [expect.objectContaining({ VendorName: 'Fabrikam' })] }) }),
    });
  });

  it('accepts LF line endings and quoted boundaries with other parameters', () => {
    const lf = financeAndOperationsResponse.replaceAll('\r\n', '\n');
    const quoted = 'Multipart/Mixed; charset=utf-8; boundary="batchresponse_4a6e0c6b-5c47-4a5d-8c77-06d6a4f1d3b2"';
    expect(parseMultipartBatchResponse(lf, quoted)).toEqual(
      parseMultipartBatchResponse(financeAndOperationsResponse, financeAndOperationsContentType),
    );
  });

  it('keeps non-JSON bodies as text and rejects malformed responses', () => {
    const text = ['--b', 'Content-Type: application/http', '', 'HTTP/1.1 502 Bad Gateway', 'Content-Type: text/plain', '', 'upstream down', '--b--'].join('\r\n');
    expect(parseMultipartBatchResponse(text, 'multipart/mixed; boundary=b')).toEqual([
      { response: { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/plain' }, body: 'upstream down' } },
    ]);
    expect(() => parseMultipartBatchResponse(text, 'application/json')).toThrow(ResponseValidationError);
    expect(() => parseMultipartBatchResponse(text, 'multipart/mixed')).toThrow(/no boundary/);
    expect(() => parseMultipartBatchResponse(text.replace('--b--', ''), 'multipart/mixed; boundary=b')).toThrow(/truncated/);
    expect(() => parseMultipartBatchResponse(text.replace('HTTP/1.1 502', 'HTXP 502'), 'multipart/mixed; boundary=b')).toThrow(/status line/);
  });
});

describe('matchMultipartBatchResponse', () => {
  const parts: MultipartBatchPart[] = [
    {
      changeset: [
        { method: 'POST', url: 'CustomersV3', body: customer },
        { method: 'PATCH', url: "CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')", body: { CreditLimit: 500 } },
      ],
    },
    { method: 'GET', url: 'VendorsV2?$top=1' },
  ];
  const batch = buildMultipartBatch(parts, { boundary: 'batch_A', changesetBoundaries: ['changeset_B'] });

  it('returns one result per operation, matched by Content-ID inside changesets', () => {
    const results = matchMultipartBatchResponse(
      batch,
      parseMultipartBatchResponse(financeAndOperationsResponse, financeAndOperationsContentType),
    );
    expect(results.map((r) => [r.contentId, r.status, r.ok, r.changesetIndex, r.changesetFailed])).toEqual([
      ['1', 201, true, 0, false],
      ['2', 204, true, 0, false],
      [undefined, 200, true, undefined, false],
    ]);
    expect(results[0]?.request.method).toBe('POST');
  });

  it('maps a failed changeset to every operation in it and reports unanswered operations', () => {
    const results = matchMultipartBatchResponse(batch, parseMultipartBatchResponse(failedChangesetResponse, 'multipart/mixed; boundary="batchresponse_e1"'));
    const [create, update, read] = results;
    for (const result of [create, update]) {
      expect(result).toMatchObject({ status: 500, ok: false, changesetIndex: 0, changesetFailed: true });
      expect(isServerError(result?.error)).toBe(true);
      expect(result?.error?.message).toMatch(/An error has occurred/);
    }
    expect(create?.error).toMatchObject({ method: 'POST' });
    expect(update?.error).toMatchObject({ method: 'PATCH' });
    // Stop-on-error (no odata.continue-on-error): the server never ran the read.
    expect(read).toMatchObject({ status: undefined, ok: false, changesetFailed: false, notExecuted: true });
    expect(isBatchOperationNotExecutedError(read?.error)).toBe(true);
    expect(isOutcomeUnknownError(read?.error)).toBe(false);
    expect(read?.error?.message).toMatch(/#2 \(GET VendorsV2\?\$top=1\) was not executed/);
  });

  it('under continue-on-error a missing answer stays unknown, not "not executed"', () => {
    const continuing = buildMultipartBatch(parts, { boundary: 'batch_A', changesetBoundaries: ['changeset_B'], continueOnError: true });
    expect(continuing.headers.Prefer).toBe('odata.continue-on-error');
    const results = matchMultipartBatchResponse(continuing, parseMultipartBatchResponse(failedChangesetResponse, 'multipart/mixed; boundary="batchresponse_e1"'));
    expect(results[2]).toMatchObject({ notExecuted: false });
    expect(isBatchOperationNotExecutedError(results[2]?.error)).toBe(false);
  });

  it('operations after a failed top-level request were not executed; those before keep their results', () => {
    const singles = buildMultipartBatch(
      [
        { method: 'GET', url: 'VendorsV2?$top=1' },
        { method: 'POST', url: 'CustomersV3', body: customer },
        { changeset: [{ method: 'PATCH', url: 'CustomersV3(x)', body: {} }] },
        { method: 'DELETE', url: 'CustomersV3(y)' },
      ],
      { boundary: 'b', changesetBoundaries: ['c'] },
    );
    const response = ['--r', 'Content-Type: application/http', '', 'HTTP/1.1 200 OK', '', '--r', 'Content-Type: application/http', '', 'HTTP/1.1 400 Bad Request', 'Content-Type: application/json', '', '{"error":{"code":"x","message":"bad customer"}}', '--r--'].join('\n');
    const results = matchMultipartBatchResponse(singles, parseMultipartBatchResponse(response, 'multipart/mixed; boundary=r'));
    expect(results.map((r) => [r.status, r.notExecuted])).toEqual([
      [200, false],
      [400, false],
      [undefined, true],
      [undefined, true],
    ]);
    expect(isValidationError(results[1]?.error)).toBe(true);
    expect(results.slice(2).every((r) => isBatchOperationNotExecutedError(r.error))).toBe(true);
  });

  it('ASP.NET Web API OData: a changeset part holding only the failing response fails the whole changeset', () => {
    // The failed changeset comes back as a nested multipart with one response and no Content-ID.
    const onlyFailure = [
      '--r',
      'Content-Type: multipart/mixed; boundary=c',
      '',
      '--c',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"x","message":"bad"}}',
      '--c--',
      '--r--',
    ].join('\n');
    const results = matchMultipartBatchResponse(batch, parseMultipartBatchResponse(onlyFailure, 'multipart/mixed; boundary=r'));
    const [create, update, read] = results;
    for (const result of [create, update]) {
      expect(result).toMatchObject({ status: 400, ok: false, changesetIndex: 0, changesetFailed: true, notExecuted: false });
      expect(isValidationError(result?.error)).toBe(true);
      expect(isOutcomeUnknownError(result?.error)).toBe(false);
    }
    expect(update?.error).toMatchObject({ method: 'PATCH', vendorMessage: 'bad' });
    expect(read).toMatchObject({ status: undefined, notExecuted: true });
  });

  it('names the operation that failed a changeset when the failing response carries its Content-ID', () => {
    const onlyFailure = [
      '--r',
      'Content-Type: multipart/mixed; boundary=c',
      '',
      '--c',
      'Content-Type: application/http',
      `Content-ID: ${batch.parts[0] && 'changeset' in batch.parts[0] ? batch.parts[0].changeset[1]?.contentId : ''}`,
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"x","message":"bad"}}',
      '--c--',
      '--r--',
    ].join('\n');
    const results = matchMultipartBatchResponse(batch, parseMultipartBatchResponse(onlyFailure, 'multipart/mixed; boundary=r'));
    expect(results.map((r) => [r.changesetFailed, r.failedHere])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
  });

  it('the failing response is found by Content-ID inside a full changeset answer too', () => {
    const withIds = [
      '--r',
      'Content-Type: multipart/mixed; boundary=c',
      '',
      '--c',
      'Content-Type: application/http',
      'Content-ID: 2',
      '',
      'HTTP/1.1 412 Precondition Failed',
      '',
      '--c--',
      '--r',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      '',
      '--r--',
    ].join('\n');
    const results = matchMultipartBatchResponse(batch, parseMultipartBatchResponse(withIds, 'multipart/mixed; boundary=r'));
    expect(results.map((r) => [r.status, r.changesetFailed, r.notExecuted])).toEqual([
      [412, true, false],
      [412, true, false],
      [200, false, false],
    ]);
  });
});
