import type { HttpClient } from '@ml-connector/core';
import { type CompanyFields, companySchema } from '../schemas/company.js';
import { type ReadOnlyEntitySet, readOnlyEntitySet } from './read-only.js';

/** The `companies` entity set (read-only). */
export type CompaniesResource = Omit<ReadOnlyEntitySet<CompanyFields>, 'listModifiedSince' | 'readChanges'>;

/** Builds the `companies` resource. */
export function companiesResource(http: HttpClient): CompaniesResource {
  const { listModifiedSince: _unused, readChanges: _none, ...rest } = readOnlyEntitySet<CompanyFields>(http, 'companies', companySchema, 'companies');
  return rest;
}
