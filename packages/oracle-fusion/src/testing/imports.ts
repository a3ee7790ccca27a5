import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { OracleEmulatorError } from './errors.js';
import { type OracleFusionStore, oracleTimestamp, record } from './store.js';
import type { ApiResult } from './router.js';

/** Settings of the emulated import jobs. */
export interface ImportJobOptions {
  /** Status polls a job answers `WAIT`, then `RUNNING`, before it ends. Default 2. */
  pollsUntilDone?: number;
}

/** One emulated ESS job. */
export interface EmulatedImportJob {
  /** ESS request id. */
  requestId: string;
  /** Job definition. */
  jobName: string;
  /** Uploaded file name. */
  fileName: string;
  /** Polls so far. */
  polls: number;
  /** Final status once processed. */
  finalStatus: 'SUCCEEDED' | 'WARNING' | 'ERROR';
  /** Rejected rows (`file,row,code,message`). */
  rejections: string[];
  /** Invoices created. */
  imported: number;
}

const INVOICE_JOB = /APXIIMPT|ImportPayablesInvoices|InvoiceImport/i;

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

/**
 * The ERP integrations service (`/erpintegrations`): `importBulkData` uploads, job status (`ESSJobStatusRF`) and
 * execution details (`ESSJobExecutionDetailsRF`, a base64 zip with the log and `rejections.csv`).
 *
 * Payables import files (UNCONFIRMED column subset of the FBDI template, no header row):
 * `ApInvoicesInterface.csv`: INVOICE_ID, BUSINESS_UNIT, SOURCE, INVOICE_NUM, INVOICE_AMOUNT, INVOICE_DATE, VENDOR_NAME,
 * VENDOR_NUM, VENDOR_SITE_CODE, INVOICE_CURRENCY_CODE; `ApInvoiceLinesInterface.csv`: INVOICE_ID, LINE_NUMBER,
 * LINE_TYPE_LOOKUP_CODE, AMOUNT, DESCRIPTION. Rows with an unknown supplier or duplicate number are rejected.
 */
export class ImportJobsEmulator {
  /** Jobs by request id. */
  readonly jobs = new Map<string, EmulatedImportJob>();
  private sequence = 880_000;
  private readonly pollsUntilDone: number;

  constructor(
    private readonly store: OracleFusionStore,
    private readonly now: () => number,
    options: ImportJobOptions = {},
  ) {
    this.pollsUntilDone = options.pollsUntilDone ?? 2;
  }

  /** Handles `POST /erpintegrations`. */
  submit(body: Record<string, unknown>): ApiResult {
    if (body.OperationName !== 'importBulkData') throw new OracleEmulatorError(400, `The operation ${String(body.OperationName)} is not supported by this emulator.`);
    for (const field of ['DocumentContent', 'FileName', 'JobName', 'DocumentAccount']) {
      if (typeof body[field] !== 'string' || body[field] === '') throw new OracleEmulatorError(400, `The attribute ${field} is required.`);
    }
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(Buffer.from(body.DocumentContent as string, 'base64'));
    } catch {
      throw new OracleEmulatorError(400, 'DocumentContent is not a base64-encoded zip file.');
    }
    const requestId = String(++this.sequence);
    const job: EmulatedImportJob = { requestId, jobName: body.JobName as string, fileName: body.FileName as string, polls: 0, finalStatus: 'SUCCEEDED', rejections: [], imported: 0 };
    if (INVOICE_JOB.test(job.jobName)) this.importInvoices(job, files);
    else job.rejections.push(`${job.fileName},0,UNSUPPORTED JOB,The emulator does not run ${job.jobName}`);
    job.finalStatus = job.rejections.length === 0 ? 'SUCCEEDED' : job.imported > 0 ? 'WARNING' : 'ERROR';
    this.jobs.set(requestId, job);
    return { status: 201, headers: { 'content-type': 'application/vnd.oracle.adf.resourceitem+json' }, body: { OperationName: 'importBulkData', ReqstId: requestId, FileName: job.fileName, JobName: job.jobName, DocumentContent: null } };
  }

  private importInvoices(job: EmulatedImportJob, files: Record<string, Uint8Array>): void {
    const headersFile = Object.keys(files).find((n) => /ApInvoicesInterface\.csv$/i.test(n));
    if (!headersFile) {
      job.rejections.push(`${job.fileName},0,MISSING FILE,ApInvoicesInterface.csv is missing from the zip`);
      return;
    }
    const linesFile = Object.keys(files).find((n) => /ApInvoiceLinesInterface\.csv$/i.test(n));
    const lines = linesFile ? parseCsv(strFromU8(files[linesFile] as Uint8Array)) : [];
    const invoices = this.store.collections.invoices ?? [];
    parseCsv(strFromU8(files[headersFile] as Uint8Array)).forEach((cells, index) => {
      const row = index + 1;
      const [interfaceId, businessUnit, , number, amount, date, vendorName, vendorNumber, site, currency] = cells;
      const reject = (code: string, message: string) => job.rejections.push(`ApInvoicesInterface.csv,${row},${code},"${message}"`);
      const supplier = this.store.collections.suppliers?.find((s) => s.attrs.SupplierNumber === vendorNumber || (vendorNumber === '' && s.attrs.Supplier === vendorName));
      if (!supplier) return reject('INVALID SUPPLIER', `Supplier ${vendorNumber || vendorName} does not exist`);
      if (!number) return reject('NO INVOICE NUMBER', 'The invoice number is missing');
      if (!Number.isFinite(Number(amount)) || amount === '') return reject('INVALID INVOICE AMOUNT', `Amount ${amount} is not a number`);
      if (invoices.some((i) => i.attrs.SupplierNumber === supplier.attrs.SupplierNumber && i.attrs.InvoiceNumber === number)) return reject('DUPLICATE INVOICE NUMBER', `Invoice ${number} already exists for the supplier`);
      const t = oracleTimestamp(this.now());
      const invoiceLines = lines
        .filter((l) => l[0] === interfaceId)
        .map((l) => record({ LineNumber: Number(l[1]), LineType: l[2] || 'Item', LineAmount: Number(l[3]), Description: l[4] ?? null }, { invoiceDistributions: [] }));
      invoices.push(
        record(
          { InvoiceId: this.store.nextId(), InvoiceNumber: number, InvoiceCurrency: currency || 'USD', InvoiceAmount: Number(amount), InvoiceDate: date, BusinessUnit: businessUnit, Supplier: supplier.attrs.Supplier, SupplierNumber: supplier.attrs.SupplierNumber, SupplierSite: site, InvoiceType: 'Standard', Description: null, ValidationStatus: 'Never Validated', ApprovalStatus: 'Required', PaidStatus: 'Unpaid', CanceledFlag: false, PaymentCurrency: currency || 'USD', CreationDate: t, CreatedBy: 'IMPORT', LastUpdateDate: t, LastUpdatedBy: 'IMPORT' },
          { invoiceLines, invoiceInstallments: [] },
        ),
      );
      job.imported++;
    });
  }

  /** Handles `GET /erpintegrations?finder=…`. */
  find(finder: string): ApiResult {
    const [name, vars = ''] = finder.split(';');
    const params = new Map(vars.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const requestId = params.get('requestId') ?? '';
    const job = this.jobs.get(requestId);
    const collection = (items: Record<string, unknown>[]): ApiResult => ({ status: 200, headers: { 'content-type': 'application/vnd.oracle.adf.resourcecollection+json' }, body: { items, count: items.length, hasMore: false, limit: 25, offset: 0 } });
    if (name === 'ESSJobStatusRF') {
      if (!job) return collection([]);
      job.polls++;
      const status = job.polls <= this.pollsUntilDone ? (job.polls === 1 ? 'WAIT' : 'RUNNING') : job.finalStatus;
      return collection([{ ReqstId: requestId, RequestStatus: status }]);
    }
    if (name === 'ESSJobExecutionDetailsRF') {
      if (!job) return collection([]);
      const zip = zipSync({
        [`${requestId}.log`]: strToU8(`Job ${job.jobName} ${job.finalStatus}: ${job.imported} imported, ${job.rejections.length} rejected\n`),
        'rejections.csv': strToU8(job.rejections.join('\n')),
      });
      return collection([{ ReqstId: requestId, DocumentContent: Buffer.from(zip).toString('base64'), ContentType: 'zip', FileName: `${requestId}.zip` }]);
    }
    throw new OracleEmulatorError(400, `The finder ${name} is not defined for erpintegrations.`);
  }
}
