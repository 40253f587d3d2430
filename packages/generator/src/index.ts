export { generateAcademie, type GenerateHooks, type GenerateResult } from './generate-academie.js';
export {
  GenerateOptionsSchema,
  parseGenerateOptions,
  type GenerateOptions,
  type GenerateOptionsInput,
} from './options.js';
export type {
  CompleteExpectation,
  DeliveryManifest,
  DeltaExpectation,
  Manifest,
  PersonCounts,
  QuirkExpectation,
  RejectExpectation,
  StructureExpectation,
} from './manifest.js';
export type { WrittenFile, FileEncoding } from './chunk-writer.js';
export {
  createNameSampler,
  type NameSampler,
  type PersonNameOptions,
  type SampledName,
  type Generation,
  type Sex,
} from './name-sampler.js';
export { Rng } from './prng.js';
export { uaiFromNumber, isValidUai } from './uai.js';
export { escapeText, HTML_ENTITIES, type TextMode } from './xml-escape.js';
export { archiveName } from './archive.js';
export { FIC_ALIM_DTD, DTD_FILE } from './dtd.js';
export { GeneratorErrors } from './errors.js';
