/**
 * The Data management package REST API (FODOCS `data-entities/data-management-api.md`): actions on
 * `DataManagementDefinitionGroups` — `ExportToPackage`, `GetExportedPackageUrl`, `GetAzureWriteUrl`,
 * `ImportFromPackage`, `GetExecutionSummaryStatus`, `GenerateImportTargetErrorKeysFile`,
 * `GetImportTargetErrorKeysFileUrl` — with package blobs served on the sandbox's own origin under `/blob/…`
 * (standing in for Azure Blob SAS URLs). Simplification: a package here is one CSV file of one entity (a real
 * package is a zip with a manifest); definition groups map to entity sets via `defineGroup()`.
 */
import { randomUUID } from 'node:crypto';
import { FoEmulatorError, JSON_HEADERS } from './errors.js';
import { ENTITY_DEFS, type EntitySetName, isEntitySetName } from './model.js';
import type { ApiResult } from './router.js';
import type { FinanceOperationsStore } from './store.js';
import { csvEscape, parseCsv } from '../csv.js';

interface Job {
  status: 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed';
  readyAt: number;
  packageBlob?: string;
  errorKeys: { key: string; message: string }[];
  imported: number;
  entity: EntitySetName;
}

const ACTION_PREFIX = 'Microsoft.Dynamics.DataEntities.';

/** Emulated Data management jobs and blobs. */
export class DataManagementEmulator {
  private readonly groups = new Map<string, EntitySetName>([['VendorsExport', 'VendorsV2'], ['VendorsImport', 'VendorsV2'], ['MainAccountsExport', 'MainAccounts']]);
  private readonly jobs = new Map<string, Job>();
  private readonly blobs = new Map<string, string>();
  /** Milliseconds a job stays `Executing`. Default 2000. */
  executionMs = 2000;

  constructor(
    private readonly store: FinanceOperationsStore,
    private readonly now: () => number,
  ) {}

  /** Maps a data project (definition group) to an entity set. */
  defineGroup(definitionGroupId: string, entitySet: EntitySetName): void {
    this.groups.set(definitionGroupId, entitySet);
  }

  private group(id: unknown): EntitySetName {
    const set = typeof id === 'string' ? this.groups.get(id) : undefined;
    if (!set) throw new FoEmulatorError(400, `Definition group '${String(id)}' does not exist.`);
    return set;
  }

  private job(id: unknown): Job {
    const job = typeof id === 'string' ? this.jobs.get(id) : undefined;
    if (!job) throw new FoEmulatorError(400, `Execution '${String(id)}' does not exist.`);
    if (job.status === 'Executing' && this.now() >= job.readyAt) this.finish(job);
    return job;
  }

  private finish(job: Job): void {
    // An import that staged nothing into the target fails; one with some rejected rows partially succeeds.
    job.status = job.errorKeys.length === 0 ? 'Succeeded' : job.imported === 0 ? 'Failed' : 'PartiallySucceeded';
  }

  /** Handles `DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.{action}`. */
  action(path: string, body: unknown, origin: string): ApiResult {
    if (!path.startsWith(ACTION_PREFIX)) throw new FoEmulatorError(404, `Resource not found for the segment '${path}'.`);
    const action = path.slice(ACTION_PREFIX.length);
    const args = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const ok = (value: unknown): ApiResult => ({ status: 200, headers: { ...JSON_HEADERS }, body: { '@odata.context': `${origin}/data/$metadata#Edm.String`, value } });
    switch (action) {
      case 'ExportToPackage': {
        const entity = this.group(args.definitionGroupId);
        const executionId = typeof args.executionId === 'string' && args.executionId !== '' ? args.executionId : `Export-${randomUUID()}`;
        const legalEntity = String(args.legalEntityId ?? '').toLowerCase();
        const def = ENTITY_DEFS[entity];
        const rows = this.store.all(entity).filter((r) => !def.company || legalEntity === '' || r.dataAreaId === legalEntity);
        const fields = rows.length > 0 ? Object.keys(rows[0] as object).filter((k) => !k.startsWith('$')) : [...def.keys];
        const csv = [fields.join(','), ...rows.map((r) => fields.map((f) => csvEscape(r[f])).join(','))].join('\r\n');
        const blob = randomUUID();
        this.blobs.set(blob, csv);
        this.jobs.set(executionId, { status: 'Executing', readyAt: this.now() + this.executionMs, packageBlob: blob, errorKeys: [], imported: 0, entity });
        return ok(executionId);
      }
      case 'GetExportedPackageUrl': {
        const job = this.job(args.executionId);
        return ok(job.status === 'Succeeded' && job.packageBlob ? `${origin}/blob/${job.packageBlob}?sig=emulated` : '');
      }
      case 'GetAzureWriteUrl': {
        const blob = randomUUID();
        this.blobs.set(blob, '');
        return ok(JSON.stringify({ BlobId: `{${blob.toUpperCase()}}`, BlobUrl: `${origin}/blob/${blob}?sig=emulated` }));
      }
      case 'ImportFromPackage': {
        const entity = this.group(args.definitionGroupId);
        const blobId = /\/blob\/([^/?]+)/.exec(String(args.packageUrl ?? ''))?.[1];
        const csv = blobId ? this.blobs.get(blobId) : undefined;
        if (csv === undefined) throw new FoEmulatorError(400, `The package URL '${String(args.packageUrl)}' cannot be read.`);
        const executionId = typeof args.executionId === 'string' && args.executionId !== '' ? args.executionId : `Import-${randomUUID()}`;
        const legalEntity = String(args.legalEntityId ?? 'usmf').toLowerCase();
        const [header = [], ...records] = parseCsv(csv).filter((r) => r.some((f) => f !== ''));
        const def = ENTITY_DEFS[entity];
        const errorKeys: Job['errorKeys'] = [];
        let imported = 0;
        for (const record of records) {
          const row: Record<string, unknown> = Object.fromEntries(header.map((name, i) => [name, record[i] ?? '']));
          if (def.company) row.dataAreaId = legalEntity;
          const key = def.keys.map((k) => String(row[k] ?? '')).join('|');
          const missing = [...def.keys, ...def.required].find((k) => row[k] === undefined || row[k] === '');
          if (missing) errorKeys.push({ key, message: `Field '${missing}' must be filled in.` });
          else if (entity === 'VendorsV2' && row.CurrencyCode !== undefined && !/^[A-Z]{3}$/.test(String(row.CurrencyCode))) errorKeys.push({ key, message: `Currency '${String(row.CurrencyCode)}' does not exist.` });
          else this.store.insert(entity, { ...def.defaults, ...row }), imported++;
        }
        this.jobs.set(executionId, { status: 'Executing', readyAt: this.now() + this.executionMs, errorKeys, imported, entity });
        return ok(executionId);
      }
      case 'GetExecutionSummaryStatus':
        return ok(this.job(args.executionId).status);
      case 'GenerateImportTargetErrorKeysFile': {
        const job = this.job(args.executionId);
        return ok(job.errorKeys.length > 0);
      }
      case 'GetImportTargetErrorKeysFileUrl': {
        const job = this.job(args.executionId);
        if (job.status === 'Executing' || job.errorKeys.length === 0) return ok('');
        const blob = randomUUID();
        this.blobs.set(blob, ['Key,Error', ...job.errorKeys.map((e) => `${csvEscape(e.key)},${csvEscape(e.message)}`)].join('\r\n'));
        return ok(`${origin}/blob/${blob}?sig=emulated`);
      }
      default:
        throw new FoEmulatorError(404, `The action '${action}' is not supported.`);
    }
  }

  /** Serves `GET`/`PUT` on a package blob. */
  async handleBlob(request: Request, id: string): Promise<Response> {
    if (!this.blobs.has(id)) return new Response('BlobNotFound', { status: 404 });
    if (request.method === 'PUT') {
      this.blobs.set(id, await request.text());
      return new Response(null, { status: 201 });
    }
    if (request.method === 'GET') return new Response(this.blobs.get(id) as string, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    return new Response(null, { status: 405 });
  }

  /** True when `name` is an entity set the emulator serves. */
  static knows(name: string): boolean {
    return isEntitySetName(name);
  }
}
