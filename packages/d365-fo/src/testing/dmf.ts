/**
 * The Data management package REST API (FODOCS `data-entities/data-management-api.md`): actions on
 * `DataManagementDefinitionGroups` — `ExportToPackage`, `GetExportedPackageUrl`, `GetAzureWriteUrl`,
 * `ImportFromPackage`, `GetExecutionSummaryStatus`, `GenerateImportTargetErrorKeysFile`,
 * `GetImportTargetErrorKeysFileUrl` — with package blobs served on the sandbox's own origin under `/blob/…`
 * (standing in for Azure Blob SAS URLs).
 *
 * Packages are zip files holding `Manifest.xml`, `PackageHeader.xml` and one `<entity name>.csv` per entity, as
 * F&O writes them (the manifest here is reduced to the definition group, entity names and refresh type:
 * UNCONFIRMED detail). Definition groups (data projects) map to one entity set each via `defineGroup()`.
 *
 * Change tracking (FODOCS `data-entities/entity-change-track.md`, `data-management-api.md`): with change tracking
 * enabled on the entity and the project exporting incrementally ("incremental push"), `ExportToPackage` exports
 * only the records created or updated since the project's previous export; its first export is a full push.
 * Deletions are not tracked outside BYOD, so a deleted record simply stops appearing. Without change tracking an
 * incremental project exports everything each time (UNCONFIRMED: F&O may refuse to save such a project).
 */
import { randomUUID } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { FoEmulatorError, JSON_HEADERS } from './errors.js';
import { ENTITY_DEFS, type EntitySetName, isEntitySetName } from './model.js';
import type { ApiResult } from './router.js';
import type { FinanceOperationsStore } from './store.js';
import { csvEscape, parseCsv } from '../csv.js';

/** An emulated Data management job (export or import). */
export interface DataManagementJob {
  /** `GetExecutionSummaryStatus` value. */
  status: 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed';
  /** Epoch ms at which an executing job ends. */
  readyAt: number;
  /** Blob of the exported package. */
  packageBlob?: string;
  /** Rows an import rejected (key and message). */
  errorKeys: { key: string; message: string }[];
  /** Rows an import wrote. */
  imported: number;
  /** The entity set of the job. */
  entity: EntitySetName;
  /** Records in the exported package. */
  exported?: number;
}

/** How a data project exports: everything, or only what changed since its previous export. */
export type DefinitionGroupRefresh = 'full' | 'incremental';

/** A data project (definition group) of the emulator. */
export interface DefinitionGroup {
  /** The entity set it exports or imports. */
  readonly entity: EntitySetName;
  /** Default `full`. */
  readonly refresh: DefinitionGroupRefresh;
}

/** Data management state that survives a restart (inside the sandbox `snapshot()`). */
export interface DataManagementSnapshot {
  /** Data projects by id. */
  groups: Record<string, DefinitionGroup>;
  /** Entity sets with change tracking enabled. */
  changeTracking: EntitySetName[];
  /** Change version each incremental project exported up to, by project then legal entity. */
  watermarks: Record<string, Record<string, number>>;
  /** Jobs by execution id (exported packages stay readable for a rerun, as blobs stay for 7 days in F&O). */
  jobs: Record<string, DataManagementJob>;
  /** Package blobs, base64. */
  blobs: Record<string, string>;
}

/** DMF entity names (the names packages and error keys files use) by entity set. */
export const DMF_ENTITY_NAMES: Readonly<Partial<Record<EntitySetName, string>>> = Object.freeze({
  VendorsV2: 'Vendors V2',
  MainAccounts: 'Main accounts',
  FinancialDimensionValues: 'Financial dimension values',
  ReleasedProductsV2: 'Released products V2',
  PurchaseOrderHeadersV2: 'Purchase order headers V2',
  PurchaseOrderLinesV2: 'Purchase order lines V2',
});

/**
 * Data projects the sandbox starts with: `VendorsExport`/`VendorsImport`/`MainAccountsExport` (full), and one
 * incremental export project per master data entity (`MLC-<EntitySet>`), whose entities have change tracking on.
 */
export const DEFAULT_DEFINITION_GROUPS: Readonly<Record<string, DefinitionGroup>> = Object.freeze({
  VendorsExport: { entity: 'VendorsV2', refresh: 'full' },
  VendorsImport: { entity: 'VendorsV2', refresh: 'full' },
  MainAccountsExport: { entity: 'MainAccounts', refresh: 'full' },
  'MLC-VendorsV2': { entity: 'VendorsV2', refresh: 'incremental' },
  'MLC-MainAccounts': { entity: 'MainAccounts', refresh: 'incremental' },
  'MLC-FinancialDimensionValues': { entity: 'FinancialDimensionValues', refresh: 'incremental' },
  'MLC-ReleasedProductsV2': { entity: 'ReleasedProductsV2', refresh: 'incremental' },
  'MLC-PurchaseOrderHeadersV2': { entity: 'PurchaseOrderHeadersV2', refresh: 'incremental' },
});

const ACTION_PREFIX = 'Microsoft.Dynamics.DataEntities.';
const entityName = (set: EntitySetName) => DMF_ENTITY_NAMES[set] ?? set;

/** The CSV of a package: the first `.csv` entry of a zip, or the blob itself when it is plain CSV. */
function packageCsv(blob: Uint8Array): string {
  if (blob[0] === 0x50 && blob[1] === 0x4b) {
    const files = unzipSync(blob);
    const name = Object.keys(files).find((n) => n.toLowerCase().endsWith('.csv'));
    if (!name) throw new FoEmulatorError(400, 'The package holds no entity file.');
    return strFromU8(files[name] as Uint8Array);
  }
  return strFromU8(blob);
}

/** Emulated Data management jobs and blobs. */
export class DataManagementEmulator {
  private readonly groups = new Map<string, DefinitionGroup>(Object.entries(DEFAULT_DEFINITION_GROUPS));
  private readonly changeTracked = new Set<EntitySetName>(Object.values(DEFAULT_DEFINITION_GROUPS).filter((g) => g.refresh === 'incremental').map((g) => g.entity));
  private readonly watermarks = new Map<string, Record<string, number>>();
  private readonly jobs = new Map<string, DataManagementJob>();
  private readonly blobs = new Map<string, Uint8Array>();
  /** Milliseconds a job stays `Executing`. Default 2000. */
  executionMs = 2000;
  /**
   * Column names of exported CSV files: `upper` (the entity's field names upper-cased, as DMF staging columns are
   * named; UNCONFIRMED for every build) or `entity` (the OData field names). Default `upper`.
   */
  packageColumns: 'upper' | 'entity' = 'upper';

  constructor(
    private readonly store: FinanceOperationsStore,
    private readonly now: () => number,
    restored?: DataManagementSnapshot,
  ) {
    if (restored) {
      for (const [id, group] of Object.entries(restored.groups)) this.groups.set(id, group);
      this.changeTracked.clear();
      for (const set of restored.changeTracking) this.changeTracked.add(set);
      for (const [id, marks] of Object.entries(restored.watermarks)) this.watermarks.set(id, { ...marks });
      for (const [id, job] of Object.entries(restored.jobs)) this.jobs.set(id, { ...job });
      for (const [id, blob] of Object.entries(restored.blobs)) this.blobs.set(id, new Uint8Array(Buffer.from(blob, 'base64')));
    }
  }

  /** Maps a data project (definition group) to an entity set; `incremental` exports only changes (with change tracking). */
  defineGroup(definitionGroupId: string, entitySet: EntitySetName, refresh: DefinitionGroupRefresh = 'full'): void {
    this.groups.set(definitionGroupId, { entity: entitySet, refresh });
    this.watermarks.delete(definitionGroupId);
  }

  /** Turns change tracking on or off for an entity ("Data management > Data entities > Change tracking"). */
  setChangeTracking(entitySet: EntitySetName, enabled: boolean): void {
    if (enabled) this.changeTracked.add(entitySet);
    else this.changeTracked.delete(entitySet);
  }

  /** Records in the package of an export job (for assertions). */
  exportedCount(executionId: string): number | undefined {
    return this.jobs.get(executionId)?.exported;
  }

  /** State to persist across restarts. */
  snapshot(): DataManagementSnapshot {
    return {
      groups: Object.fromEntries(this.groups),
      changeTracking: [...this.changeTracked],
      watermarks: Object.fromEntries([...this.watermarks].map(([id, marks]) => [id, { ...marks }])),
      jobs: Object.fromEntries([...this.jobs].map(([id, job]) => [id, structuredClone(job)])),
      blobs: Object.fromEntries([...this.blobs].map(([id, blob]) => [id, Buffer.from(blob).toString('base64')])),
    };
  }

  private group(id: unknown): DefinitionGroup {
    const group = typeof id === 'string' ? this.groups.get(id) : undefined;
    if (!group) throw new FoEmulatorError(400, `Definition group '${String(id)}' does not exist.`);
    return group;
  }

  private job(id: unknown): DataManagementJob {
    const job = typeof id === 'string' ? this.jobs.get(id) : undefined;
    if (!job) throw new FoEmulatorError(400, `Execution '${String(id)}' does not exist.`);
    if (job.status === 'Executing' && this.now() >= job.readyAt) this.finish(job);
    return job;
  }

  private finish(job: DataManagementJob): void {
    // An import that staged nothing into the target fails; one with some rejected rows partially succeeds.
    job.status = job.errorKeys.length === 0 ? 'Succeeded' : job.imported === 0 ? 'Failed' : 'PartiallySucceeded';
  }

  /** A package zip of one entity's rows. */
  private buildPackage(definitionGroupId: string, group: DefinitionGroup, rows: readonly Record<string, unknown>[]): Uint8Array {
    const def = ENTITY_DEFS[group.entity];
    const fields = rows.length > 0 ? Object.keys(rows[0] as object).filter((k) => !k.startsWith('$')) : [...def.keys];
    const header = fields.map((f) => (this.packageColumns === 'upper' ? f.toUpperCase() : f)).join(',');
    const csv = [header, ...rows.map((r) => fields.map((f) => csvEscape(r[f])).join(','))].join('\r\n');
    const name = entityName(group.entity);
    const xml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
    const manifest =
      `<?xml version="1.0" encoding="utf-8"?>\r\n<DataManagementPackageManifest xmlns="http://schemas.datacontract.org/2004/07/Microsoft.Dynamics.AX.Framework.Tools.DataManagement.Serialization">` +
      `<DefinitionGroupName>${xml(definitionGroupId)}</DefinitionGroupName><PackageEntityList><DataManagementPackageEntityData>` +
      `<DefaultRefreshType>${group.refresh === 'incremental' ? 'IncrementalPush' : 'FullPush'}</DefaultRefreshType><EntityName>${xml(name)}</EntityName>` +
      `<InputFilePath>${xml(name)}.csv</InputFilePath><SourceFormat>CSV-Unicode</SourceFormat></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>`;
    const packageHeader = `<?xml version="1.0" encoding="utf-8"?>\r\n<DataManagementPackageHeader><Description>${xml(definitionGroupId)}</Description><PackageType>Export</PackageType><PackageVersion>2</PackageVersion></DataManagementPackageHeader>`;
    return zipSync({ 'Manifest.xml': strToU8(manifest), 'PackageHeader.xml': strToU8(packageHeader), [`${name}.csv`]: strToU8(csv) });
  }

  /** Handles `DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.{action}`. */
  action(path: string, body: unknown, origin: string): ApiResult {
    if (!path.startsWith(ACTION_PREFIX)) throw new FoEmulatorError(404, `Resource not found for the segment '${path}'.`);
    const action = path.slice(ACTION_PREFIX.length);
    const args = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const ok = (value: unknown): ApiResult => ({ status: 200, headers: { ...JSON_HEADERS }, body: { '@odata.context': `${origin}/data/$metadata#Edm.String`, value } });
    switch (action) {
      case 'ExportToPackage': {
        const groupId = String(args.definitionGroupId);
        const group = this.group(args.definitionGroupId);
        const entity = group.entity;
        const executionId = typeof args.executionId === 'string' && args.executionId !== '' ? args.executionId : `Export-${randomUUID()}`;
        const legalEntity = String(args.legalEntityId ?? '').toLowerCase();
        const def = ENTITY_DEFS[entity];
        let rows = this.store.all(entity).filter((r) => !def.company || legalEntity === '' || r.dataAreaId === legalEntity);
        if (group.refresh === 'incremental' && this.changeTracked.has(entity)) {
          const marks = this.watermarks.get(groupId) ?? {};
          const since = marks[legalEntity];
          // The first incremental export is a full push; later ones carry what was created or updated since.
          if (since !== undefined) rows = rows.filter((r) => r.$version > since);
          const upTo = this.store.nextVersion();
          this.watermarks.set(groupId, { ...marks, [legalEntity]: upTo });
        }
        const blob = randomUUID();
        this.blobs.set(blob, this.buildPackage(groupId, group, rows));
        this.jobs.set(executionId, { status: 'Executing', readyAt: this.now() + this.executionMs, packageBlob: blob, errorKeys: [], imported: 0, entity, exported: rows.length });
        return ok(executionId);
      }
      case 'GetExportedPackageUrl': {
        const job = this.job(args.executionId);
        return ok(job.status === 'Succeeded' && job.packageBlob ? `${origin}/blob/${job.packageBlob}?sig=emulated` : '');
      }
      case 'GetAzureWriteUrl': {
        const blob = randomUUID();
        this.blobs.set(blob, new Uint8Array());
        return ok(JSON.stringify({ BlobId: `{${blob.toUpperCase()}}`, BlobUrl: `${origin}/blob/${blob}?sig=emulated` }));
      }
      case 'ImportFromPackage': {
        const entity = this.group(args.definitionGroupId).entity;
        const blobId = /\/blob\/([^/?]+)/.exec(String(args.packageUrl ?? ''))?.[1];
        const blob = blobId ? this.blobs.get(blobId) : undefined;
        if (blob === undefined) throw new FoEmulatorError(400, `The package URL '${String(args.packageUrl)}' cannot be read.`);
        const csv = packageCsv(blob);
        const executionId = typeof args.executionId === 'string' && args.executionId !== '' ? args.executionId : `Import-${randomUUID()}`;
        const legalEntity = String(args.legalEntityId ?? 'usmf').toLowerCase();
        const [header = [], ...records] = parseCsv(csv).filter((r) => r.some((f) => f !== ''));
        const def = ENTITY_DEFS[entity];
        // Columns match the entity's fields whatever their case (staging columns are upper-case).
        const known = new Map([...def.keys, ...def.required, ...Object.keys(def.defaults), ...Object.keys(this.store.all(entity)[0] ?? {})].map((f) => [f.toUpperCase(), f]));
        const columns = header.map((name) => known.get(name.toUpperCase()) ?? name);
        const errorKeys: DataManagementJob['errorKeys'] = [];
        let imported = 0;
        for (const record of records) {
          const row: Record<string, unknown> = Object.fromEntries(columns.map((name, i) => [name, record[i] ?? '']));
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
        this.blobs.set(blob, strToU8(['Key,Error', ...job.errorKeys.map((e) => `${csvEscape(e.key)},${csvEscape(e.message)}`)].join('\r\n')));
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
      this.blobs.set(id, new Uint8Array(await request.arrayBuffer()));
      return new Response(null, { status: 201 });
    }
    if (request.method === 'GET') {
      const blob = this.blobs.get(id) as Uint8Array;
      return new Response(blob as BodyInit, { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.byteLength) } });
    }
    return new Response(null, { status: 405 });
  }

  /** True when `name` is an entity set the emulator serves. */
  static knows(name: string): boolean {
    return isEntitySetName(name);
  }
}
