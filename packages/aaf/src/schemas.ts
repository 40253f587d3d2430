import { z } from 'zod';

// Zod schemas of the values the normalizer checks at this boundary, and of its output records
// (for consumers that validate what they store or serve, and for the tests).

/** A UAI (establishment number): 7 digits and a capital letter. The one definition of the shape. */
export const UAI_PATTERN = /^[0-9]{7}[A-Z]$/;
export const UaiSchema = z.string().regex(UAI_PATTERN, 'a UAI is 7 digits and a capital letter');
export const IsoDateSchema = z.iso.date();
export const EmailSchema = z.email();
/** INE (identifiant national élève): 11 characters, digits and capital letters. */
export const IneSchema = z.string().regex(/^[0-9A-Z]{11}$/);

const Level = z.enum(['1d', '2d']);
const Strings = z.array(z.string());
const Details = z.record(z.string(), z.record(z.string(), z.unknown()));

export const StructureRecordSchema = z.object({
  kind: z.literal('structure'),
  level: Level,
  jointure: z.string().min(1),
  uai: UaiSchema.nullable(),
  name: z.string().min(1),
  type: z.string().nullable(),
  contract: z.string().nullable(),
  academy: z.string().nullable(),
  declaredClasses: z.array(z.object({ code: z.string(), label: z.string(), mefs: Strings })),
  declaredGroups: z.array(z.object({ code: z.string(), label: z.string(), classes: Strings })),
  details: Details.optional(),
});

export const SubjectRecordSchema = z.object({
  kind: z.literal('subject'),
  code: z.string().min(1),
  label: z.string().min(1),
});

export const MefRecordSchema = z.object({
  kind: z.literal('mef'),
  code: z.string().min(1),
  label: z.string().min(1),
  attachment: z.string().nullable(),
  stat11: z.string().nullable(),
});

const GroupRef = z.object({
  structure: z.string().min(1),
  code: z.string().min(1),
  label: z.string(),
});

export const PersonRecordSchema = z.object({
  kind: z.literal('person'),
  category: z.enum(['pupil', 'relative', 'staff']),
  profile: z.enum(['pupil', 'relative', 'teacher', 'staff']),
  level: Level,
  jointure: z.string().min(1),
  givenName: z.string().min(1),
  sn: z.string().min(1),
  birthName: z.string().nullable(),
  otherGivenNames: Strings,
  civility: z.string().nullable(),
  birthDate: IsoDateSchema.nullable(),
  ine: IneSchema.nullable(),
  mail: z.string().nullable(),
  structures: Strings,
  primaryStructure: z.string().nullable(),
  classes: z.array(GroupRef),
  groups: z.array(GroupRef),
  relatives: z.array(
    z.object({
      jointure: z.string().min(1),
      relationship: z.string().nullable(),
      financial: z.boolean().nullable(),
      legal: z.number().int().nullable(),
      contact: z.boolean().nullable(),
      payment: z.boolean().nullable(),
    }),
  ),
  pupils: Strings,
  functions: z.array(
    z.object({
      structure: z.string().min(1),
      code: z.string().min(1),
      label: z.string(),
      disciplineCode: z.string(),
      disciplineLabel: z.string(),
    }),
  ),
  direction: Strings,
  teaching: z.array(
    z.object({
      structure: z.string().min(1),
      kind: z.enum(['class', 'group']),
      code: z.string().min(1),
      subject: z.string(),
    }),
  ),
  headTeacher: z.array(z.object({ structure: z.string().min(1), code: z.string().min(1) })),
  details: Details,
});

export const NormalizedRecordSchema = z.discriminatedUnion('kind', [
  StructureRecordSchema,
  SubjectRecordSchema,
  MefRecordSchema,
  PersonRecordSchema,
]);
