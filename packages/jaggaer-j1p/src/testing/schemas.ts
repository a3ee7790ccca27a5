import { z } from 'zod';
import { badRequest } from './errors.js';
import { parseJaggaerDate } from './render.js';
import type { OcrInvoiceInput, OperationCode, PurchaseOrderInput, SupplierInput } from './store.js';
import type { CodingSegment, InvoicePaymentStatus } from './model.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const dateText = z.string().refine((v) => parseJaggaerDate(v) !== undefined, 'must be an ISO 8601 date or YYYYMMDD[HHMMSS]');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const operationCode = z.enum(['CREATE', 'UPDATE', 'CREATEUPDATE']);
const codingSchema = z.object({ account: text(20), department: text(20), project: text(20) });

/** Parses `body` with `schema` or throws a 400 whose message lists every problem as `path: message`. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, root: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => {
    const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || 'body'}: ${issue.message}`;
  });
  throw badRequest(`Invalid request: ${problems.join('; ')}`);
}

// ---- OCR import ----------------------------------------------------------------------------------------------------

const ocrLine = z.object({
  lineNumber: z.number().int().positive().optional(),
  ocrItem: z.object({ description: text(500), unitOfMeasure: z.string().trim().max(10).optional(), packagingAmount: z.number().optional() }),
  quantity: finite.refine((q) => q !== 0, 'must not be 0'),
  unitPrice: z.object({ currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD').optional(), money: finite }),
});

const ocrHeader = z.object({
  supplierInvoiceNumber: text(50),
  invoiceType: z.enum(['Invoice', 'Credit memo']).optional(),
  invoiceDate: dateText.optional(),
  supplier: z.object({ supplierNumber: text(50) }),
  businessUnit: z.object({ internalName: text(50) }).optional(),
  terms: z.object({ standardPaymentTermsCode: text(50) }).optional(),
  notes: z.string().max(2000).optional(),
});

const pickCasing = (obj: Record<string, unknown>, names: readonly string[], where: string): unknown => {
  const present = names.filter((n) => obj[n] !== undefined);
  if (present.length > 1) throw badRequest(`Invalid request: ${where} is given as both ${present.join(' and ')}; send one.`);
  return present.length ? obj[present[0] as string] : undefined;
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an OCR import body. Both casings seen in public samples are accepted: `invoiceOcr`/`invoiceOcrHeader`/
 * `invoiceOcrLineList.invoiceOcrLine` and `invoiceOCR`/`invoiceOCRHeader`/`invoiceOCRLineList.invoiceOCRLine`.
 */
export function parseOcrImport(body: unknown): OcrInvoiceInput {
  if (!isRecord(body)) throw badRequest('Invalid request: body must be a JSON object with invoiceOcr.');
  const ocr = pickCasing(body, ['invoiceOcr', 'invoiceOCR'], 'invoiceOcr');
  if (!isRecord(ocr)) throw badRequest('Invalid request: invoiceOcr is required (invoiceOcr.invoiceOcrHeader, invoiceOcr.invoiceOcrLineList).');
  const header = parseBody(ocrHeader, pickCasing(ocr, ['invoiceOcrHeader', 'invoiceOCRHeader'], 'invoiceOcr.invoiceOcrHeader'), 'invoiceOcr.invoiceOcrHeader');
  const lineList = pickCasing(ocr, ['invoiceOcrLineList', 'invoiceOCRLineList'], 'invoiceOcr.invoiceOcrLineList');
  const rawLines = isRecord(lineList) ? pickCasing(lineList, ['invoiceOcrLine', 'invoiceOCRLine'], 'invoiceOcrLineList.invoiceOcrLine') : lineList;
  const lines = parseBody(z.array(ocrLine).max(999).optional(), rawLines, 'invoiceOcr.invoiceOcrLineList.invoiceOcrLine') ?? [];
  const currencies = new Set(lines.map((l) => l.unitPrice.currency ?? 'USD'));
  if (currencies.size > 1) throw badRequest(`Invalid request: all lines must use one currency, got ${[...currencies].join(', ')}.`);
  const numbers = new Set<number>();
  for (const [i, l] of lines.entries()) {
    const n = l.lineNumber ?? i + 1;
    if (numbers.has(n)) throw badRequest(`Invalid request: invoiceOcrLine line number ${n} appears twice.`);
    numbers.add(n);
  }
  const batchId = typeof body.batchId === 'string' ? body.batchId : undefined;
  const input: OcrInvoiceInput = {
    supplierInvoiceNumber: header.supplierInvoiceNumber,
    supplierNumber: header.supplier.supplierNumber,
    currency: [...currencies][0] ?? 'USD',
    lines: lines.map((l) => ({
      ...(l.lineNumber !== undefined ? { lineNumber: l.lineNumber } : {}),
      description: l.ocrItem.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice.money,
      unitOfMeasure: l.ocrItem.unitOfMeasure ?? 'EA',
    })),
  };
  if (header.invoiceType) input.invoiceType = header.invoiceType;
  if (header.invoiceDate) input.invoiceDate = new Date(parseJaggaerDate(header.invoiceDate) as number).toISOString();
  if (header.businessUnit) input.businessUnit = header.businessUnit.internalName;
  if (header.terms) input.paymentTermsCode = header.terms.standardPaymentTermsCode;
  if (header.notes !== undefined) input.notes = header.notes;
  if (batchId !== undefined) input.batchId = batchId;
  return input;
}

// ---- payment status ------------------------------------------------------------------------------------------------

/** Payment states the payment-status route accepts. */
export const PAYMENT_STATUSES: readonly InvoicePaymentStatus[] = ['Unpaid', 'Payable', 'Partially Paid', 'Paid'];

const paymentStatusBody = z.object({
  paymentStatus: z.enum(PAYMENT_STATUSES as [InvoicePaymentStatus, ...InvoicePaymentStatus[]]),
  paymentDate: dateText.optional(),
  paymentReference: z.string().trim().max(100).optional(),
});

/** Reads a payment-status body `{paymentStatus, paymentDate?, paymentReference?}` (UNCONFIRMED shape). */
export function parsePaymentStatus(body: unknown): { paymentStatus: InvoicePaymentStatus; paymentDate?: string; paymentReference?: string } {
  const parsed = parseBody(paymentStatusBody, body, '');
  const out: { paymentStatus: InvoicePaymentStatus; paymentDate?: string; paymentReference?: string } = { paymentStatus: parsed.paymentStatus };
  if (parsed.paymentDate) out.paymentDate = new Date(parseJaggaerDate(parsed.paymentDate) as number).toISOString().slice(0, 10);
  if (parsed.paymentReference !== undefined) out.paymentReference = parsed.paymentReference;
  return out;
}

// ---- company profiles ----------------------------------------------------------------------------------------------

const companyBody = z.object({
  company: z.object({
    operationCode,
    sendEMail: z.string().optional(),
    companyInfo: z.object({
      bravoId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be numeric').transform(Number)]).optional(),
      extCode: text(50).optional(),
      companyName: text(200).optional(),
      parentExtCode: z.union([z.string().trim().max(50), z.null()]).optional(),
      type: z.literal('SELLER', { message: 'the sandbox manages SELLER companies only' }).optional(),
      status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
      dAndBCode: z.string().trim().max(20).optional(),
      isoCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code like US').optional(),
      city: z.string().trim().max(100).optional(),
      fiscalCode: z.string().trim().max(50).optional(),
      bizEmail: z.string().trim().max(200).optional(),
      bizPhone: z.string().trim().max(50).optional(),
      userName: z.string().trim().max(100).optional(),
      userSurName: z.string().trim().max(100).optional(),
      userEmail: z.string().trim().max(200).optional(),
      userPhone: z.string().trim().max(50).optional(),
      userMobPhone: z.string().trim().max(50).optional(),
    }),
  }),
});

/** Reads a company create/update body `{company:{operationCode, companyInfo:{…}}}`. */
export function parseCompanyUpsert(body: unknown, paymentTermsField = 'paymentTermsCode'): { operation: OperationCode; input: SupplierInput } {
  const { company } = parseBody(companyBody, body, '');
  const info = company.companyInfo;
  if (info.bravoId === undefined && info.extCode === undefined) {
    throw badRequest('Invalid request: company.companyInfo needs extCode (the ERP supplier number) or bravoId.');
  }
  const input: SupplierInput = {};
  if (info.bravoId !== undefined) input.bravoId = info.bravoId;
  if (info.extCode !== undefined) input.supplierNumber = info.extCode;
  if (info.companyName !== undefined) input.companyName = info.companyName;
  if (info.parentExtCode !== undefined) input.parentSupplierNumber = info.parentExtCode;
  if (info.status !== undefined) input.status = info.status;
  if (info.dAndBCode !== undefined) input.duns = info.dAndBCode;
  if (info.isoCountry !== undefined) input.isoCountry = info.isoCountry;
  if (info.city !== undefined) input.city = info.city;
  if (info.fiscalCode !== undefined) input.fiscalCode = info.fiscalCode;
  if (info.bizEmail !== undefined) input.bizEmail = info.bizEmail;
  if (info.bizPhone !== undefined) input.bizPhone = info.bizPhone;
  const user = { name: info.userName, surname: info.userSurName, email: info.userEmail, phone: info.userPhone, mobilePhone: info.userMobPhone };
  if (Object.values(user).some((value) => value !== undefined)) {
    input.superUser = Object.fromEntries(Object.entries(user).filter(([, value]) => value !== undefined));
  }
  // The payment terms field is the tenant's (UNCONFIRMED name), so it is read from the raw body.
  const terms = (body as { company: { companyInfo: Record<string, unknown> } }).company.companyInfo[paymentTermsField];
  if (terms !== undefined) {
    if (typeof terms !== 'string' || terms.trim().length > 20) throw badRequest(`Invalid request: company.companyInfo.${paymentTermsField} must be a text of at most 20 characters.`);
    input.paymentTermsCode = terms.trim();
  }
  return { operation: company.operationCode, input };
}

// ---- coding values -------------------------------------------------------------------------------------------------

const codingValuesBody = z.object({
  operationCode,
  codingValueList: z.object({
    codingValue: z
      .array(
        z.object({
          segment: z.enum(['account', 'department', 'project']),
          code: text(20),
          description: text(100).optional(),
          active: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
});

/** Reads a coding-value batch `{operationCode, codingValueList:{codingValue:[…]}}` (UNCONFIRMED shape, ≤ 1000). */
export function parseCodingValues(body: unknown): {
  operation: OperationCode;
  values: { segment: CodingSegment; code: string; description?: string; active?: boolean }[];
} {
  const parsed = parseBody(codingValuesBody, body, '');
  return {
    operation: parsed.operationCode,
    values: parsed.codingValueList.codingValue.map((v) => ({
      segment: v.segment,
      code: v.code,
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.active !== undefined ? { active: v.active } : {}),
    })),
  };
}

// ---- purchase orders -----------------------------------------------------------------------------------------------

const purchaseOrderBody = z.object({
  operationCode,
  purchaseOrder: z.object({
    poNumber: text(50),
    supplier: z.object({ supplierNumber: text(50) }),
    businessUnit: z.object({ internalName: text(50) }).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD').optional(),
    orderDate: dateText.optional(),
    status: z.enum(['Open', 'Closed', 'Cancelled']).optional(),
    lineList: z.object({
      poLine: z
        .array(
          z.object({
            lineNumber: z.number().int().positive(),
            description: text(500),
            quantity: finite.refine((q) => q > 0, 'must be greater than 0'),
            unitPrice: finite.refine((p) => p >= 0, 'must not be negative'),
            unitOfMeasure: z.string().trim().max(10).optional(),
            coding: codingSchema.optional(),
          }),
        )
        .min(1)
        .max(999),
    }),
  }),
});

/** Reads a purchase-order upsert `{operationCode, purchaseOrder:{poNumber, supplier, lineList:{poLine:[…]}}}` (UNCONFIRMED). */
export function parsePurchaseOrder(body: unknown): { operation: OperationCode; input: PurchaseOrderInput } {
  const { operationCode: operation, purchaseOrder: po } = parseBody(purchaseOrderBody, body, '');
  const input: PurchaseOrderInput = {
    poNumber: po.poNumber,
    supplierNumber: po.supplier.supplierNumber,
    lines: po.lineList.poLine.map((l) => ({
      lineNumber: l.lineNumber,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      unitOfMeasure: l.unitOfMeasure ?? 'EA',
      ...(l.coding ? { coding: l.coding } : {}),
    })),
  };
  if (po.businessUnit) input.businessUnit = po.businessUnit.internalName;
  if (po.currency) input.currency = po.currency;
  if (po.orderDate) input.orderDate = new Date(parseJaggaerDate(po.orderDate) as number).toISOString();
  if (po.status) input.status = po.status;
  return { operation, input };
}
