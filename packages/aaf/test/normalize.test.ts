import t from 'tap';
import {
  detectLevel,
  normalizeRecord,
  PersonRecordSchema,
  type AafEntity,
  type NormalizedRecord,
  type PersonRecord,
  type Reject,
} from '../src/index.js';

type Attrs = Record<string, string[]>;
const PUPIL: Attrs = { ENTPersonJointure: ['1'], sn: ['DOE'], givenName: ['JANE'] };
const STAFF: Attrs = { ENTPersonJointure: ['2'], sn: ['ROE'], givenName: ['RICHARD'] };

function run(
  entity: AafEntity,
  id: string,
  attrs: Attrs,
): {
  record: NormalizedRecord | null;
  rejects: readonly Reject[];
  warnings: readonly { code: string; message: string }[];
} {
  return normalizeRecord(entity, id, attrs);
}

function personOf(
  entity: AafEntity,
  id: string,
  attrs: Attrs,
): { p: PersonRecord; rejects: readonly Reject[] } {
  const { record, rejects } = run(entity, id, attrs);
  if (record?.kind !== 'person') throw new Error(`no person: ${JSON.stringify(rejects)}`);
  t.ok(PersonRecordSchema.safeParse(record).success, 'output shape');
  return { p: record, rejects };
}

t.test('composite arity: a wrong value is dropped, the record kept', async (t) => {
  const { p, rejects } = personOf('Eleve', '1', {
    ...PUPIL,
    ENTElevePersRelEleve: ['9$10$1$1$1$0', '8$20$1$1$1', '7$20$1$1$1$0$9'],
    ENTEleveClasses: ['910001$5A', '910001', '910001$5B$X'],
  });
  t.same(
    p.relatives.map((r) => r.jointure),
    ['9'],
  );
  t.same(
    p.classes.map((c) => c.code),
    ['5A'],
  );
  t.same(
    rejects.map((r) => [r.code, r.attribute, r.value]),
    [
      ['COMPOSITE_ARITY', 'ENTEleveClasses', '910001'],
      ['COMPOSITE_ARITY', 'ENTEleveClasses', '910001$5B$X'],
      ['COMPOSITE_ARITY', 'ENTElevePersRelEleve', '8$20$1$1$1'],
      ['COMPOSITE_ARITY', 'ENTElevePersRelEleve', '7$20$1$1$1$0$9'],
    ],
  );
  t.match(rejects[2]?.message, /5 fields, expected 6/);
});

t.test('required fields and identifier mismatch: record rejects', async (t) => {
  const noName = run('PersRelEleve', '3', { ENTPersonJointure: ['3'], givenName: ['X'] });
  t.equal(noName.record, null);
  t.same(
    noName.rejects.map((r) => r.code),
    ['MISSING_REQUIRED'],
  );
  t.match(noName.rejects[0]?.message, /no sn/);
  const birthName = personOf('PersRelEleve', '3', {
    ENTPersonNomPatro: ['MARTIN'],
    givenName: ['X'],
  });
  t.equal(birthName.p.sn, 'MARTIN', 'the usage name defaults to the birth name');
  const noGiven = run('PersEducNat', '2', { sn: ['X'], givenName: [''] });
  t.same(
    noGiven.rejects.map((r) => r.code),
    ['MISSING_REQUIRED'],
  );
  const mismatch = run('Eleve', '1', { ...PUPIL, ENTPersonJointure: ['999'] });
  t.equal(mismatch.record, null);
  t.same(
    mismatch.rejects.map((r) => r.code),
    ['IDENTIFIER_MISMATCH'],
  );
  const structure = run('EtabEducNat', '5', {
    ENTStructureJointure: ['6'],
    ENTStructureNomCourant: ['X'],
  });
  t.same(
    structure.rejects.map((r) => r.code),
    ['IDENTIFIER_MISMATCH'],
  );
  const subject = run('MatiereEducNat', '061300', {
    ENTMatJointure: ['061300'],
    ENTLibelleMatiere: [''],
  });
  t.same(
    subject.rejects.map((r) => r.code),
    ['MISSING_REQUIRED'],
  );
  const mef = run('MefEducNat', '1', { ENTLibelleMef: ['5EME'] });
  t.same(mef.record, { kind: 'mef', code: '1', label: '5EME', attachment: null, stat11: null });
  t.same(
    run('Eleve', ' ', PUPIL).rejects.map((r) => r.code),
    ['MISSING_IDENTIFIER'],
  );
});

t.test('dates, UAI, INE, e-mail, booleans: value rejects, fields null', async (t) => {
  // An impossible birth date is a warning (the record is kept): see the data-quality test.
  const { p, rejects } = personOf('Eleve', '1', {
    ...PUPIL,
    ENTPersonDateNaissance: ['31/02/2012'],
    ENTEleveINE: ['12345'],
    mail: ['not-a-mail'],
    ENTEleveBoursier: ['peut-être'],
    ENTEleveTransport: ['Y'],
  });
  t.equal(p.birthDate, null);
  t.equal(p.ine, null);
  t.equal(p.mail, null);
  t.equal(p.details.schooling?.scholarship, undefined);
  t.equal(p.details.schooling?.transport, true, 'Y is yes');
  t.same(
    rejects.map((r) => [r.code, r.attribute]),
    [
      ['INVALID_VALUE', 'ENTEleveINE'],
      ['INVALID_VALUE', 'mail'],
      ['INVALID_VALUE', 'ENTEleveBoursier'],
    ],
  );
  t.equal(
    personOf('Eleve', '1', { ...PUPIL, ENTPersonDateNaissance: ['1/9/2012'] }).p.birthDate,
    '2012-09-01',
  );
  const school = run('EtabEducNat', '7', {
    ENTStructureUAI: ['099000'],
    ENTStructureNomCourant: ['$ECOLE$'],
  });
  if (school.record?.kind !== 'structure') throw new Error('no structure');
  t.equal(school.record.uai, null);
  t.equal(school.record.name, 'ECOLE');
  t.same(
    school.rejects.map((r) => [r.code, r.value]),
    [['INVALID_VALUE', '099000']],
  );
});

t.test('structures: name falls back to the UAI, else MISSING_REQUIRED', async (t) => {
  const named = run('EtabEducNat', '8', {
    ENTStructureUAI: ['0990001n'],
    ENTStructureNomCourant: [''],
  });
  if (named.record?.kind !== 'structure') throw new Error('no structure');
  t.equal(named.record.uai, '0990001N', 'a lower-case check letter is accepted');
  t.equal(named.record.name, '0990001N');
  t.same(
    run('EtabEducNat', '9', { ENTStructureNomCourant: ['$$'] }).rejects.map((r) => r.code),
    ['MISSING_REQUIRED'],
  );
});

t.test('staff profile rules', async (t) => {
  const profile = (attrs: Attrs): string =>
    personOf('PersEducNat', '2', { ...STAFF, ...attrs }).p.profile;
  const ens = '1$ENS$ENSEIGNEMENT$L1300$MATHS';
  t.equal(
    profile({
      ENTPersonCategorieEnseignant: ['N'],
      PersEducNatPresenceDevantEleves: ['O'],
      ENTPersonFonctions: [ens],
    }),
    'staff',
    'the category flag wins',
  );
  t.equal(profile({ ENTPersonCategorieEnseignant: ['O'] }), 'teacher');
  t.equal(
    profile({ ENTPersonCategorieEnseignant: [''], PersEducNatPresenceDevantEleves: ['O'] }),
    'teacher',
    'empty flag: presence',
  );
  t.equal(
    profile({ PersEducNatPresenceDevantEleves: ['N'], ENTPersonFonctions: [ens] }),
    'teacher',
    'ENS function',
  );
  t.equal(profile({ ENTPersonFonctions: ['1$DOC$DOCUMENTATION$-$-'] }), 'teacher', 'DOC function');
  t.equal(profile({ ENTPersonFonctions: ['1$EDU$EDUCATION$-$-'] }), 'staff');
  t.equal(profile({}), 'staff');
});

t.test('1D teachers: ENS or DOC anywhere in a function', async (t) => {
  const profile1d = (fonctions: string[]): string => {
    const { record } = normalizeRecord(
      'PersEducNat',
      '2',
      {
        ENTPersonJointure: ['2'],
        ENTPersonNom: ['ROE'],
        ENTPersonPrenom: ['R'],
        ENTPersonFonctions: fonctions,
      },
      { levelHint: '1d' },
    );
    return (record as PersonRecord).profile;
  };
  t.equal(profile1d(['920001$-$ENSEIGNANT ADJOINT$-$SANS OBJET']), 'teacher', 'ENS in the label');
  t.equal(profile1d(['920001$X$X$-$PROFESSEUR DOCUMENTALISTE']), 'teacher', 'DOC in a field');
  t.equal(profile1d(['920001$-$SANS OBJET$-$SANS OBJET']), 'staff');
  t.equal(
    personOf('PersEducNat', '2', { ...STAFF, ENTPersonFonctions: ['1$-$ENSEIGNANT$-$-'] }).p
      .profile,
    'staff',
    '2D: only the function code counts',
  );
});

t.test('direction: ENTEnsFonctionDir, DIR functions and direction labels', async (t) => {
  const direction = (attrs: Attrs) =>
    personOf('PersEducNat', '2', { ...STAFF, ...attrs }).p.direction;
  t.same(
    direction({
      ENTPersonFonctions: ['910001$DIR$DIRECTION$D0010$DIRECTION CHEF D&apos;ETABLISSEMENT'],
    }),
    ['910001'],
    'a DIR function without ENTEnsFonctionDir',
  );
  t.same(
    direction({ ENTPersonFonctions: ['920001$ENS$ENSEIGNEMENT$D0010$DIRECTION'] }),
    ['920001'],
    'a direction label (1D school head) whatever the code',
  );
  t.same(
    direction({
      ENTEnsFonctionDir: ['910002'],
      ENTPersonFonctions: [
        "910001$DIR$DIRECTION$D0011$CHEF D'ETABLISSEMENT ADJOINT",
        '910002$DIR$DIRECTION$D0010$X',
        '910003$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES',
      ],
    }),
    ['910002', '910001'],
    'deduplicated, ENTEnsFonctionDir first; a teacher is not direction',
  );
  t.same(direction({ ENTPersonFonctions: ['910001$-$SANS OBJET$-$DIRECTION'] }), [], 'placeholder');
});

t.test('staff: placeholder functions, structures, teaching dedupe', async (t) => {
  const { p } = personOf('PersEducNat', '2', {
    ...STAFF,
    ENTPersonStructRattach: [''],
    ENTPersonFonctions: [
      '50011$-$SANS OBJET$-$SANS OBJET',
      '50012$ENS$ENSEIGNEMENT$L1700$MUSIQUE',
      '50012$ENS$ENSEIGNEMENT$L1700$MUSIQUE',
    ],
    ENTAuxEnsClasses: ['50012$3A', '50012$3A', '50012$3B', '50013$4C'],
    ENTAuxEnsGroupes: ['50012$G1'],
    ENTAuxEnsClassesMatieres: ['50012$3A$081300'],
    ENTAuxEnsGroupesMatieres: ['50012$G1$081300', '50012$G1$081400'],
    ENTAuxEnsClassesPrincipal: ['50012$3A', '50012$3A'],
    ENTEnsFonctionDir: ['50014'],
  });
  t.same(
    p.functions.map((f) => [f.structure, f.code]),
    [['50012', 'ENS']],
    '"-" is no function, duplicates dropped',
  );
  t.equal(p.primaryStructure, '50011', 'first structure of ENTPersonFonctions');
  t.same(p.structures, ['50011', '50012', '50014', '50013']);
  t.same(p.teaching, [
    { structure: '50012', kind: 'class', code: '3A', subject: '081300' },
    { structure: '50012', kind: 'group', code: 'G1', subject: '081300' },
    { structure: '50012', kind: 'group', code: 'G1', subject: '081400' },
    { structure: '50012', kind: 'class', code: '3B', subject: '' },
    { structure: '50013', kind: 'class', code: '4C', subject: '' },
  ]);
  t.same(p.headTeacher, [{ structure: '50012', code: '3A' }]);
  t.same(p.direction, ['50014']);
});

t.test('pupils: attachment first, 1D groups, legacy relatives', async (t) => {
  const { p } = personOf('Eleve', '1', {
    ...PUPIL,
    ENTPersonStructRattach: ['2'],
    ENTEleveClasses: ['1$5A'],
    ENTPersonGroupes: ['3$GROUPE$X$G07$Chorale', '3$GROUPE$X$G07$Chorale'],
    ENTElevePersRelEleve: [''],
    ENTEleveAutoriteParentale: ['11', '12', '11'],
  });
  t.equal(p.primaryStructure, '2');
  t.same(p.structures, ['2', '1', '3']);
  t.same(p.groups, [{ structure: '3', code: 'G07', label: 'Chorale' }]);
  t.same(
    p.relatives,
    [
      {
        jointure: '11',
        relationship: null,
        financial: null,
        legal: null,
        contact: null,
        payment: null,
      },
      {
        jointure: '12',
        relationship: null,
        financial: null,
        legal: null,
        contact: null,
        payment: null,
      },
    ],
    '2D bare jointures: no flags',
  );
  const legacy = personOf('Eleve', '1', {
    ...PUPIL,
    ENTElevePersRelEleve1: ['21'],
    ENTElevePersRelEleve2: ['22'],
    ENTEleveParents: ['21'],
  }).p;
  t.same(
    legacy.relatives.map((r) => [r.jointure, r.legal]),
    [
      ['21', null],
      ['22', null],
    ],
  );
  const noClass = personOf('Eleve', '1', PUPIL).p;
  t.same([noClass.structures, noClass.primaryStructure], [[], null]);
});

t.test('level detection from the attribute names, or the hint', async (t) => {
  t.equal(
    detectLevel('Eleve', { ENTPersonNom: [], ENTPersonPrenom: [], ENTPersonClasses: [] }),
    '1d',
  );
  t.equal(detectLevel('Eleve', { sn: [], givenName: [], ENTEleveClasses: [] }), '2d');
  t.equal(detectLevel('EtabEducNat', { ENTStructureAdresse: [], ENTEcoleCommune: [] }), '1d');
  t.equal(detectLevel('MatiereEducNat', { ENTLibelleMatiere: [] }), '2d');
  const hinted = normalizeRecord('Eleve', '1', PUPIL, { levelHint: '1d' });
  t.equal(hinted.record?.kind === 'person' && hinted.record.level, '1d');
});

t.test('details: only what the file says, address lines split', async (t) => {
  const { p } = personOf('PersRelEleve', '2', {
    ...STAFF,
    ENTPersonAdresse: ['APPT 3$$12 RUE X$'],
    mobile: ['0600000001', '0600000002', '0600000001'],
    homePhone: [''],
    ENTPersonAdresseDiffusion: ['O'],
    ENTAuxPersRelEleveEleve: ['1', '1', '5'],
  });
  t.same(p.details, {
    contact: {
      mobiles: ['0600000001', '0600000002'],
      address: ['APPT 3', '12 RUE X'],
      addressConsent: true,
    },
  });
  t.same(p.pupils, ['1', '5']);
  t.same(JSON.parse(JSON.stringify(p.details)), p.details, 'plain JSON');
});

t.test(
  'data-quality warnings: birth date, repeated relative, group of unknown classes',
  async (t) => {
    const warned = (entity: Parameters<typeof run>[0], attrs: Record<string, string[]>) =>
      run(entity, entity === 'EtabEducNat' ? '7' : '1', attrs).warnings.map((w) => w.code);
    t.same(warned('Eleve', { ...PUPIL, ENTPersonDateNaissance: ['31/02/2012'] }), [
      'BIRTH_DATE_INVALID',
    ]);
    t.same(warned('Eleve', { ...PUPIL, ENTPersonDateNaissance: ['01/01/1850'] }), [
      'BIRTH_DATE_INVALID',
    ]);
    t.same(
      warned('Eleve', { ...PUPIL, ENTPersonDateNaissance: ['01/01/2999'] }),
      ['BIRTH_DATE_INVALID'],
      'a year in the future is impossible',
    );
    t.same(warned('Eleve', PUPIL), ['BIRTH_DATE_MISSING'], 'a pupil without a birth date');
    t.same(warned('PersEducNat', STAFF), [], 'staff need none');
    t.same(warned('Eleve', { ...PUPIL, ENTPersonDateNaissance: ['14/03/2012'] }), []);
    const repeated = run('Eleve', '1', {
      ...PUPIL,
      ENTPersonDateNaissance: ['14/03/2012'],
      ENTElevePersRelEleve: ['9$10$0$0$1$0', '9$10$1$1$0$0'],
    });
    t.same(
      repeated.warnings.map((w) => w.code),
      ['RELATIVE_FLAGS_CONFLICT'],
    );
    if (repeated.record?.kind !== 'person') throw new Error('no person');
    t.match(repeated.record.relatives, [{ jointure: '9', legal: 1, contact: false }]);
    t.match(repeated.warnings[0]!.message, /the legal one, code 1, is kept/);
    // A person in charge (2) first, the legal representative (1) later: 1 wins, so that the
    // relative keeps its account with RELATIVE_ACCOUNT_LEGAL_CODES=1 too.
    const inCharge = run('Eleve', '1', {
      ...PUPIL,
      ENTPersonDateNaissance: ['14/03/2012'],
      ENTElevePersRelEleve: ['9$20$1$2$0$0', '9$20$0$0$1$0', '9$20$1$1$1$0'],
    });
    if (inCharge.record?.kind !== 'person') throw new Error('no person');
    t.match(inCharge.record.relatives, [{ jointure: '9', legal: 1, contact: true }]);
    // Neither occurrence legal: the first is kept, and the warning says so.
    const neither = run('Eleve', '1', {
      ...PUPIL,
      ENTPersonDateNaissance: ['14/03/2012'],
      ENTElevePersRelEleve: ['9$38$0$0$1$0', '9$38$1$0$1$0'],
    });
    if (neither.record?.kind !== 'person') throw new Error('no person');
    t.match(neither.record.relatives, [{ jointure: '9', legal: 0, financial: false }]);
    t.match(neither.warnings[0]!.message, /the first one is kept/);
    t.same(
      warned('EtabEducNat', {
        ENTStructureUAI: ['0990001N'],
        ENTStructureNomCourant: ['COLLEGE'],
        ENTStructureClasses: ['5A$5EME A'],
        ENTStructureGroupes: ['LAT$LATIN$5A$5Z'],
      }),
      ['GROUP_CLASSES_UNKNOWN'],
    );
  },
);
