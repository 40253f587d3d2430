export * from './model.js';
export { AafErrors } from './errors.js';
export { aafLimits, DEFAULT_AAF_LIMITS, type AafLimits } from './limits.js';
export { parseAafFileName, isAafXmlName } from './file-name.js';
export { readAafFile, readAafFileSkipping, type ReadAafFileOptions } from './read-aaf-file.js';
export type { SkipFilter } from './request-skipper.js';
export {
  normalizeRecord,
  detectLevel,
  type NormalizeOptions,
} from './normalize/normalize-record.js';
export { COMPOSITE_ARITY, splitFields } from './normalize/composite.js';
export {
  knownAttributes,
  unknownAttributeNames,
  unknownAttributes,
} from './attribute-dictionary.js';
export { recordHash } from './record-hash.js';
export { HTML_ENTITIES } from './html-entities.js';
export {
  EmailSchema,
  IneSchema,
  IsoDateSchema,
  MefRecordSchema,
  NormalizedRecordSchema,
  PersonRecordSchema,
  StructureRecordSchema,
  SubjectRecordSchema,
  UAI_PATTERN,
  UaiSchema,
} from './schemas.js';
export { openDeliveries, type OpenDeliveriesOptions } from './delivery/open-deliveries.js';
export { archiveKind, type ArchiveKind } from './delivery/delivery-sources.js';
