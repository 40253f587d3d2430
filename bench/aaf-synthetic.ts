// Synthetic AAF files produced on the fly (never materialised), for the parse benchmark and the
// flat-memory test. Records look like real 2D pupils: NCR accents, composites, empty values.
import { Readable } from 'node:stream';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n' +
  '<!-- versionAF="AAF-VE2401" -->\n';
const FOOTER = '</ficAlimMENESR>\n';

/** One 2D pupil addRequest (about 1.5 KB). */
export function syntheticPupil(n: number): string {
  const id = String(9_000_000 + n);
  const rel = (k: number): string => String(8_000_000 + n * 2 + k);
  const cls = `5${String.fromCharCode(65 + (n % 6))}`;
  const a = (name: string, ...values: string[]): string =>
    `<attr name="${name}">${values.map((v) => (v === '' ? '<value/>' : `<value>${v}</value>`)).join('')}</attr>\n`;
  return (
    '<addRequest>\n<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>\n' +
    `<identifier><id>${id}</id></identifier>\n<attributes>\n` +
    a('ENTPersonJointure', id) +
    a('ENTEleveINE', `${String(100_000_000 + n).padStart(9, '0')}AB`) +
    a('ENTEleveStructRattachId', String(700_000 + n)) +
    a('ENTPersonDateNaissance', `${String(1 + (n % 28)).padStart(2, '0')}/0${1 + (n % 9)}/2012`) +
    a('ENTPersonNomPatro', `NOM${n}`) +
    a('sn', `NOM${n}`) +
    a('givenName', 'L&#201;A') +
    a('ENTPersonAutresPrenoms', 'L&#201;A', 'JEANNE') +
    a('personalTitle', n % 2 === 0 ? 'Mme' : 'M.') +
    a('ENTElevePersRelEleve', `${rel(0)}$10$1$1$1$0`, `${rel(1)}$20$1$1$0$0`) +
    a('ENTEleveBoursier', 'N') +
    a('ENTEleveRegime', 'DEMI-PENSIONNAIRE DANS L&apos;ETABLISSEMENT') +
    a('ENTEleveTransport', 'N') +
    a('ENTEleveStatutEleve', 'SCOLAIRE') +
    a('ENTEleveMEF', '10110001110') +
    a('ENTEleveLibelleMEF', '5EME') +
    a('ENTEleveNivFormation', '5EME') +
    a('ENTEleveFiliere', '5EME') +
    a('ENTEleveEnseignements', 'MATHEMATIQUES', 'ANGLAIS LV1') +
    a('ENTEleveCodeEnseignements', '061300', '030201') +
    a('ENTPersonStructRattach', '910001') +
    a('ENTEleveClasses', `910001$${cls}`) +
    a('ENTEleveGroupes', n % 3 === 0 ? '910001$5LAT' : '') +
    a('ENTPersonAdresse', `${n} RUE DU MOULIN$$$`) +
    a('ENTPersonCodePostal', '99100') +
    a('ENTPersonVille', 'VILLEBOIS') +
    a('ENTPersonPays', 'FRANCE') +
    '</attributes>\n</addRequest>\n'
  );
}

/** A short pupil (about 450 bytes): identity, class, two relatives. */
export function compactPupil(n: number): string {
  const id = String(9_000_000 + n);
  return (
    '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>' +
    `<identifier><id>${id}</id></identifier><attributes>` +
    `<attr name="ENTPersonJointure"><value>${id}</value></attr>` +
    `<attr name="sn"><value>NOM${n}</value></attr><attr name="givenName"><value>L&#201;A</value></attr>` +
    `<attr name="ENTElevePersRelEleve"><value>${8_000_000 + n}$10$1$1$1$0</value></attr>` +
    `<attr name="ENTEleveClasses"><value>910001$5${String.fromCharCode(65 + (n % 6))}</value></attr>` +
    '</attributes></addRequest>\n'
  );
}

/**
 * A Readable of an Eleve file with `records` pupils, generated batch by batch as it is read
 * (backpressure-driven: nothing is produced ahead of the consumer).
 */
export function syntheticPupilFile(
  records: number,
  options: { compact?: boolean; batch?: number } = {},
): Readable {
  const make = options.compact === true ? compactPupil : syntheticPupil;
  const batch = options.batch ?? 40;
  let next = 0;
  return new Readable({
    read() {
      if (next === 0) this.push(HEADER);
      if (next >= records) {
        this.push(FOOTER);
        this.push(null);
        return;
      }
      const end = Math.min(records, next + batch);
      const parts: string[] = [];
      for (; next < end; next++) parts.push(make(next));
      this.push(Buffer.from(parts.join(''), 'utf8'));
    },
  });
}
