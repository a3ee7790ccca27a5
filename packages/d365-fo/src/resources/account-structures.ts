import { InvalidInputError } from '@ml-connector/core';
import type { AccountStructureRule, FinancialDimensionValueFields, MainAccountFields } from '../schemas/ledger.js';

/** A coding to check: a main account plus dimension values by dimension name. */
export interface LedgerCoding {
  /** Main account id, e.g. `8110`. */
  mainAccount: string;
  /** Dimension values by dimension name, e.g. `{ Department: 'ADM' }`. Blank values count as absent. */
  dimensions?: Readonly<Record<string, string | undefined>>;
}

/** Why a coding is not valid. */
export type CodingProblem =
  | { kind: 'unknown-account'; mainAccount: string }
  | { kind: 'suspended-account'; mainAccount: string }
  | { kind: 'no-structure'; mainAccount: string }
  | { kind: 'missing-dimension'; dimension: string }
  | { kind: 'unknown-value'; dimension: string; value: string }
  | { kind: 'suspended-value'; dimension: string; value: string }
  | { kind: 'value-not-allowed'; dimension: string; value: string; allowed: string }
  | { kind: 'dimension-not-in-structure'; dimension: string };

/** Result of {@link validateLedgerCoding}. */
export interface CodingValidation {
  /** True when F&O would accept the combination. */
  valid: boolean;
  /** Problems found (empty when valid), each saying what to fix. */
  problems: CodingProblem[];
  /** The account structure that governs the main account, when one does. */
  accountStructure: string | undefined;
  /** The ledger dimension display value, e.g. `8110-ADM-P-100`, in structure order (segments joined by `-`). */
  displayValue: string | undefined;
}

/** Reference data the validation needs (read once, reuse for many codings). */
export interface LedgerReference {
  /** Main accounts of the legal entity's chart of accounts. */
  mainAccounts: readonly Pick<MainAccountFields, 'MainAccountId' | 'IsSuspended'>[];
  /** Dimension values visible to the legal entity (shared and own). */
  dimensionValues: readonly Pick<FinancialDimensionValueFields, 'FinancialDimension' | 'DimensionValue' | 'IsSuspended' | 'LegalEntityId'>[];
  /** Account structure rules of the legal entity's ledger. */
  rules: readonly AccountStructureRule[];
}

function allows(allowed: string, value: string): boolean {
  if (allowed.trim() === '*' || allowed.trim() === '') return true;
  return allowed.split(';').some((item) => {
    const range = item.split('..');
    if (range.length === 2) return value >= (range[0] as string).trim() && value <= (range[1] as string).trim();
    return item.trim() === value;
  });
}

/**
 * Decides whether a main account + dimension combination is valid, the way F&O's account structures do: the
 * main account must exist and not be suspended; the structure whose account range contains it lists the
 * dimensions that may (or must) be filled and the values allowed; each value must exist and be active.
 * Dimensions outside the structure are refused. Pure: pass reference data read once (see `ledger.reference()`).
 */
export function validateLedgerCoding(coding: LedgerCoding, reference: LedgerReference): CodingValidation {
  if (typeof coding?.mainAccount !== 'string' || coding.mainAccount.trim() === '') {
    throw new InvalidInputError('coding.mainAccount must be a main account id such as "8110"', { field: 'coding.mainAccount' });
  }
  const problems: CodingProblem[] = [];
  const mainAccount = coding.mainAccount;
  const account = reference.mainAccounts.find((a) => a.MainAccountId === mainAccount);
  const given = Object.entries(coding.dimensions ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '') as [string, string][];
  if (!account) return { valid: false, problems: [{ kind: 'unknown-account', mainAccount }], accountStructure: undefined, displayValue: undefined };
  if (account.IsSuspended === 'Yes') problems.push({ kind: 'suspended-account', mainAccount });
  const rules = reference.rules.filter((r) => mainAccount >= r.MainAccountFrom && mainAccount <= r.MainAccountTo);
  const structure = rules[0]?.AccountStructure;
  if (structure === undefined) {
    if (given.length > 0) problems.push({ kind: 'no-structure', mainAccount });
    return { valid: problems.length === 0, problems, accountStructure: undefined, displayValue: problems.length === 0 ? mainAccount : undefined };
  }
  const structureRules = rules.filter((r) => r.AccountStructure === structure);
  const segments = [mainAccount];
  for (const rule of structureRules) {
    const value = given.find(([name]) => name === rule.DimensionName)?.[1];
    if (value === undefined) {
      if (rule.IsRequired === 'Yes') problems.push({ kind: 'missing-dimension', dimension: rule.DimensionName });
      segments.push('');
      continue;
    }
    segments.push(value);
    const known = reference.dimensionValues.find((v) => v.FinancialDimension === rule.DimensionName && v.DimensionValue === value);
    if (!known) problems.push({ kind: 'unknown-value', dimension: rule.DimensionName, value });
    else if (known.IsSuspended === 'Yes') problems.push({ kind: 'suspended-value', dimension: rule.DimensionName, value });
    else if (!allows(rule.AllowedValues, value)) problems.push({ kind: 'value-not-allowed', dimension: rule.DimensionName, value, allowed: rule.AllowedValues });
  }
  for (const [name] of given) {
    if (!structureRules.some((r) => r.DimensionName === name)) problems.push({ kind: 'dimension-not-in-structure', dimension: name });
  }
  const valid = problems.length === 0;
  return { valid, problems, accountStructure: structure, displayValue: valid ? segments.join('-').replace(/-+$/, '') : undefined };
}
