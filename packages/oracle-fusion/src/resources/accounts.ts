import { type HttpClient, InvalidInputError } from '@ml-connector/core';
import { type AccountCombination, type ValueSetValue, type ValueSetValueCreate, type ValueSetValueUpdate, accountCombinationSchema, valueSetValueSchema } from '../schemas/account.js';
import { type ReadableCollection, type WritableCollection, collection } from './collection.js';

/** GL account combinations (read-only) and chart-of-accounts segment values (readable and writable). */
export interface AccountsResource {
  /** `/accountCombinationsLOV`: code combinations. */
  readonly combinations: ReadableCollection<AccountCombination>;
  /**
   * `/valueSets/{valueSetCode}/child/values`: the values of one segment value set, e.g. cost centers. `create`
   * posts a new value (`Value` unique within the set); `update` patches one read before (its `self` link, `If-Match`).
   */
  values(valueSetCode: string): WritableCollection<ValueSetValue, ValueSetValueCreate, ValueSetValueUpdate>;
}

const VALUE_SET = /^[A-Za-z0-9_.-]+$/;

/** Creates the accounts resource. */
export function accountsResource(http: HttpClient): AccountsResource {
  return {
    combinations: collection(http, 'accountCombinationsLOV', accountCombinationSchema, 'accountCombinations'),
    values(valueSetCode) {
      if (typeof valueSetCode !== 'string' || !VALUE_SET.test(valueSetCode)) {
        throw new InvalidInputError(`valueSetCode must be a value set code such as "XX_COST_CENTER"; got ${JSON.stringify(valueSetCode)}`, { field: 'valueSetCode' });
      }
      return collection<typeof valueSetValueSchema, ValueSetValueCreate, ValueSetValueUpdate>(
        http,
        `valueSets/${encodeURIComponent(valueSetCode)}/child/values`,
        valueSetValueSchema,
        'valueSets.values',
      );
    },
  };
}
