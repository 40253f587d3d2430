/** Function codes of ENTPersonFonctions (`struct$code$label$position$positionLabel`). */
export interface FunctionDef {
  readonly code: string;
  readonly label: string;
  readonly position: string;
  readonly positionLabel: string;
}

const f = (code: string, label: string, position: string, positionLabel: string): FunctionDef => ({
  code,
  label,
  position,
  positionLabel,
});

export const FUNCTIONS = {
  chief: f('DIR', 'DIRECTION', 'D0010', "DIRECTION CHEF D'ETABLISSEMENT"),
  deputy: f('DIR', 'DIRECTION', 'D0011', "ADJOINT CHEF D'ETABLISSEMENT"),
  cpe: f('EDU', 'EDUCATION', 'E0030', "CONSEILLER PRINCIPAL D'EDUCATION"),
  aed: f('AED', "ASSISTANT D'EDUCATION", 'S0054', 'ENCADRE. SUR. DES ELEVES (HORS INTERNAT)'),
  secretary: f('ADF', 'PERSONNELS ADMINISTRATIFS', 'A0010', 'SECRETARIAT'),
  bursar: f('ADF', 'PERSONNELS ADMINISTRATIFS', 'G0010', 'GESTION MATERIELLE ET FINANCIERE'),
  nurse: f('MDS', 'PERSONNELS MEDICO-SOCIAUX', 'M0030', 'INFIRMIER(E)'),
  psy: f('ORI', 'ORIENTATION', 'O0010', 'PSYCHOLOGUE EN'),
  lab: f('LAB', 'PERSONNELS DE LABORATOIRE', 'L0002', 'LABORATOIRE'),
  doc: f('DOC', 'DOCUMENTATION', 'L0080', 'DOCUMENTATION'),
  aesh: f('AES', 'ACCOMPAGNANT ELEVES HANDICAPES', '-', 'SANS OBJET'),
  teacher1d: f('ENS', 'ENSEIGNEMENT', '-', 'SANS OBJET'),
  placeholder: f('-', 'SANS OBJET', '-', 'SANS OBJET'),
} as const;

/** The label of the chief's function as some files double-escape it (`&amp;apos;`). */
export const DOUBLE_ESCAPED_CHIEF = 'DIRECTION CHEF D&apos;ETABLISSEMENT';
