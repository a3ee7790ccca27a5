import { ConnectorError, ResponseValidationError, hasErrorKind } from '@ml-connector/core';
import { XMLParser } from 'fast-xml-parser';
import type { FieldKind, ResolvedService, ServiceName } from './services.js';

/** OData protocol version of a NAV endpoint: `/ODataV4/` (v4) or `/OData/` (v3). */
export type NavODataVersion = 'v4' | 'v3';

/** One property of an entity type in `$metadata`. */
export interface MetadataProperty {
  /** Property name. */
  readonly name: string;
  /** Qualified type, e.g. `Edm.String` or `NAV.Blocked`. */
  readonly type: string;
}

/** One entity type in `$metadata`. */
export interface MetadataEntityType {
  /** Qualified name, e.g. `NAV.Vendor`. */
  readonly qualifiedName: string;
  /** Key property names in order. */
  readonly keys: readonly string[];
  /** Properties by name. */
  readonly properties: ReadonlyMap<string, MetadataProperty>;
}

/** What the client needs from a service's CSDL document. */
export interface ServiceMetadata {
  /** `Version` of the `edmx:Edmx` root (`4.0` for v4; `1.0` with DataServiceVersion 3.0 for v3). */
  readonly edmxVersion: string;
  /** Entity set name → qualified entity type name. */
  readonly entitySets: ReadonlyMap<string, string>;
  /** Entity types by qualified name (aliases resolved to namespaces). */
  readonly entityTypes: ReadonlyMap<string, MetadataEntityType>;
  /** Qualified names of enum types (NAV v4 may publish option fields as enums). */
  readonly enumTypes: ReadonlySet<string>;
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

type XmlNode = Record<string, unknown>;

/**
 * Parses an OData CSDL document (v4 `edmx:Edmx Version="4.0"` or v3 `Version="1.0"`) with fast-xml-parser.
 *
 * @throws ResponseValidationError when the text is not a CSDL document.
 */
export function parseServiceMetadata(xml: string): ServiceMetadata {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    isArray: (name) => ['Schema', 'EntityType', 'EnumType', 'EntitySet', 'EntityContainer', 'Property', 'PropertyRef'].includes(name),
  });
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw new ResponseValidationError('$metadata is not well-formed XML; check that the deployment URL points at a NAV OData endpoint', {
      cause: error,
    });
  }
  const edmx = document['Edmx'] as XmlNode | undefined;
  const services = edmx?.['DataServices'] as XmlNode | undefined;
  if (!edmx || !services) {
    throw new ResponseValidationError('$metadata has no edmx:Edmx/edmx:DataServices; the URL does not address an OData service root');
  }
  const entitySets = new Map<string, string>();
  const entityTypes = new Map<string, MetadataEntityType>();
  const enumTypes = new Set<string>();
  const schemas = asArray(services['Schema'] as XmlNode[] | undefined);
  const aliases = new Map<string, string>();
  for (const schema of schemas) {
    if (typeof schema['Alias'] === 'string') aliases.set(schema['Alias'], String(schema['Namespace']));
  }
  const qualify = (name: string): string => {
    const dot = name.lastIndexOf('.');
    if (dot < 0) return name;
    const prefix = name.slice(0, dot);
    return `${aliases.get(prefix) ?? prefix}${name.slice(dot)}`;
  };
  for (const schema of schemas) {
    const namespace = String(schema['Namespace'] ?? '');
    for (const enumType of asArray(schema['EnumType'] as XmlNode[] | undefined)) enumTypes.add(`${namespace}.${String(enumType['Name'])}`);
    for (const entityType of asArray(schema['EntityType'] as XmlNode[] | undefined)) {
      const qualifiedName = `${namespace}.${String(entityType['Name'])}`;
      const keyNode = entityType['Key'] as XmlNode | undefined;
      const keys = asArray(keyNode?.['PropertyRef'] as XmlNode[] | undefined).map((ref) => String(ref['Name']));
      const properties = new Map<string, MetadataProperty>();
      for (const property of asArray(entityType['Property'] as XmlNode[] | undefined)) {
        const name = String(property['Name']);
        properties.set(name, { name, type: qualify(String(property['Type'])) });
      }
      entityTypes.set(qualifiedName, { qualifiedName, keys, properties });
    }
    for (const container of asArray(schema['EntityContainer'] as XmlNode[] | undefined)) {
      for (const set of asArray(container['EntitySet'] as XmlNode[] | undefined)) {
        entitySets.set(String(set['Name']), qualify(String(set['EntityType'])));
      }
    }
  }
  return { edmxVersion: String(edmx['Version'] ?? ''), entitySets, entityTypes, enumTypes: new Set([...enumTypes].map(qualify)) };
}

/** The EDM types a field of `kind` may be published as in `version`. Option fields may also be any enum type (v4). */
export function edmTypesFor(kind: FieldKind, version: NavODataVersion): readonly string[] {
  switch (kind) {
    case 'text':
    case 'code':
    case 'option':
      return ['Edm.String'];
    case 'decimal':
      return ['Edm.Decimal'];
    case 'integer':
      return ['Edm.Int32', 'Edm.Int64'];
    case 'boolean':
      return ['Edm.Boolean'];
    case 'date':
      return version === 'v4' ? ['Edm.Date'] : ['Edm.DateTime'];
    case 'datetime':
      return version === 'v4' ? ['Edm.DateTimeOffset'] : ['Edm.DateTime', 'Edm.DateTimeOffset'];
  }
}

/** One difference between what the client is configured to use and what the instance publishes. */
export type MetadataProblem =
  | { kind: 'missing-entity-set'; service: ServiceName; entitySet: string; page: string; message: string }
  | { kind: 'missing-field'; service: ServiceName; entitySet: string; field: string; logical: string; message: string }
  | { kind: 'type-mismatch'; service: ServiceName; entitySet: string; field: string; expected: readonly string[]; actual: string; message: string }
  | { kind: 'key-mismatch'; service: ServiceName; entitySet: string; expected: readonly string[]; actual: readonly string[]; message: string };

/**
 * Thrown by `connect()` (and so before any record is read or written) when the instance's `$metadata` does
 * not publish what the client is configured to use. `problems` lists every missing entity set, missing field,
 * type difference and key difference at once, so one round of fixes on the Web Services page (or in the
 * client's `services` option) is enough.
 */
export class NavMetadataMismatchError extends ConnectorError {
  static override readonly kind: string = 'NavMetadataMismatchError';
  /** Every problem found. */
  readonly problems: readonly MetadataProblem[];

  constructor(problems: readonly MetadataProblem[], serviceRoot: string) {
    super(
      `The NAV instance at ${serviceRoot} does not publish what this client is configured to use (${problems.length} problem${problems.length === 1 ? '' : 's'}). ` +
        'Publish the pages on the Web Services page, or set the published names in the client\'s `services` option:\n' +
        problems.map((p) => `- ${p.message}`).join('\n'),
      'NAV_METADATA_MISMATCH',
      { details: { problems } },
    );
    this.problems = problems;
  }
}

/** True for a {@link NavMetadataMismatchError}, also one from another installed copy of this package. */
export function isNavMetadataMismatchError(error: unknown): error is NavMetadataMismatchError {
  return hasErrorKind(error, 'NavMetadataMismatchError');
}

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Compares the resolved services with the instance's metadata and lists every problem (empty when all is well). */
export function findMetadataProblems(
  metadata: ServiceMetadata,
  services: Iterable<ResolvedService>,
  version: NavODataVersion,
): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  for (const service of services) {
    const typeName = metadata.entitySets.get(service.entitySet);
    const entityType = typeName === undefined ? undefined : metadata.entityTypes.get(typeName);
    if (!entityType) {
      const similar = [...metadata.entitySets.keys()].find((name) => normalise(name) === normalise(service.entitySet));
      problems.push({
        kind: 'missing-entity-set',
        service: service.service,
        entitySet: service.entitySet,
        page: service.page,
        message:
          `${service.service}: no entity set "${service.entitySet}" (page ${service.page} published under that name)` +
          (similar ? `; did you mean "${similar}"?` : ''),
      });
      continue;
    }
    for (const field of service.fields) {
      const property = entityType.properties.get(field.name);
      if (!property) {
        const similar = [...entityType.properties.keys()].find((name) => normalise(name) === normalise(field.name));
        problems.push({
          kind: 'missing-field',
          service: service.service,
          entitySet: service.entitySet,
          field: field.name,
          logical: field.logical,
          message:
            `${service.service}: ${service.entitySet} has no field "${field.name}" (${field.logical})` +
            (similar ? `; it publishes "${similar}": set services.${service.service}.fields.${field.logical} = "${similar}"` : `; add it to the page or set services.${service.service}.fields.${field.logical} = false`),
        });
        continue;
      }
      const expected = edmTypesFor(field.kind, version);
      const enumOk = field.kind === 'option' && version === 'v4' && metadata.enumTypes.has(property.type);
      if (!expected.includes(property.type) && !enumOk) {
        problems.push({
          kind: 'type-mismatch',
          service: service.service,
          entitySet: service.entitySet,
          field: field.name,
          expected,
          actual: property.type,
          message: `${service.service}: ${service.entitySet}.${field.name} is ${property.type}, expected ${expected.join(' or ')}${field.kind === 'option' && version === 'v4' ? ' or an enum type' : ''} (${field.kind})`,
        });
      }
    }
    const expectedKeys = service.keys.map((k) => k.name);
    if (expectedKeys.join(',') !== entityType.keys.join(',')) {
      problems.push({
        kind: 'key-mismatch',
        service: service.service,
        entitySet: service.entitySet,
        expected: expectedKeys,
        actual: entityType.keys,
        message: `${service.service}: ${service.entitySet} is keyed by (${entityType.keys.join(', ')}), expected (${expectedKeys.join(', ')})`,
      });
    }
  }
  return problems;
}
