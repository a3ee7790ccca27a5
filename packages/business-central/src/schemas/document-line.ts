import { z } from 'zod';
import { guid, odataEtag } from './common.js';
import { dimensionSetLineSchema } from './dimension.js';
import { type DocumentLineType, enumMember } from './enums.js';

/**
 * Fields every Business Central purchase document line carries (invoice and order lines alike), spread into each
 * line schema so the shared part is declared once.
 */
export const documentLineFields = {
  ...odataEtag,
  id: guid,
  documentId: guid,
  sequence: z.number(),
  itemId: guid,
  accountId: guid,
  lineType: enumMember<DocumentLineType>(),
  lineObjectNumber: z.string().optional(),
  description: z.string(),
  dimensionSetLines: z.array(dimensionSetLineSchema).optional(),
};
