import { defineErrors } from '@aaf-sync/errors';

/**
 * File-level failures of the AAF reader. A record-level problem is never an error: it is a
 * `Reject` item (see model.ts). When one of these is thrown while reading a file, the consumer
 * discards the whole file, even if some records were already yielded.
 */
export const AafErrors = defineErrors('AAF', {
  BAD_FILE_NAME: {
    status: 400,
    message: 'bad AAF file name {fileName}: {reason}',
    description:
      'The file name does not follow `<prefix>[_<scope>]_<Complet|Delta>_<YYYYMMDD>_<Entity>_<NNNN>.xml` ' +
      '(entity EtabEducNat, MatiereEducNat, MefEducNat, Eleve, PersRelEleve or PersEducNat, a real ' +
      'calendar date). Rename the file; the name tells the kind, date and entity of its records.',
  },
  BAD_PATH: {
    status: 400,
    message: 'cannot read AAF input {path}: {reason}',
    description:
      'A path given as AAF input does not exist, or is neither an XML file, a directory, a ' +
      '.tgz/.tar.gz/.tar archive nor a .zip archive. Check the path and its permissions.',
  },
  BAD_ARCHIVE: {
    status: 422,
    message: 'corrupt or unreadable archive {archive}: {reason}',
    description:
      'A delivery archive (.tgz, .tar.gz, .tar or .zip) could not be read: bad gzip data, broken ' +
      'tar headers, a damaged zip central directory or a truncated archive. Ask for the delivery ' +
      'again; nothing of it is applied.',
  },
  EMPTY_FILE: {
    status: 422,
    message: '{fileName}: the file is empty',
    description:
      'The AAF file has no content at all (0 bytes, or only a byte-order mark and blanks). An ' +
      'empty delta chunk must still hold the root element `<ficAlimMENESR></ficAlimMENESR>`.',
  },
  UNSUPPORTED_ENCODING: {
    status: 422,
    message: '{fileName}: unsupported encoding {encoding}',
    description:
      'The XML declaration names an encoding the reader does not decode. Supported: UTF-8 (also ' +
      'the default when there is no declaration), ISO-8859-1, ISO-8859-15 and windows-1252 (and ' +
      'US-ASCII). Convert the file to UTF-8.',
  },
  ENTITY_DECLARATION: {
    status: 422,
    message: '{fileName}:{line}: the DOCTYPE declares entities; refused',
    description:
      'The DOCTYPE carries an internal subset with `<!ENTITY` declarations. AAF files never need ' +
      'them, and they are the vehicle of entity-expansion bombs and external entity attacks, so ' +
      'the file is refused without expanding anything.',
  },
  MALFORMED_XML: {
    status: 422,
    message: '{fileName}:{line}:{column}: malformed XML: {reason}',
    description:
      'The file is not well-formed XML (or not XML at all) at the given line and column. Records ' +
      'read before that point are discarded with the rest of the file; fix or re-export the file.',
  },
  WRONG_ROOT: {
    status: 422,
    message: '{fileName}:{line}: root element is <{root}>, expected <ficAlimMENESR>',
    description:
      'The XML file is well-formed but is not an AAF file: its root element is not ' +
      '`ficAlimMENESR`. Check that the right file was delivered.',
  },
  TRUNCATED: {
    status: 422,
    message: '{fileName}:{line}: the file ends before </ficAlimMENESR> ({reason})',
    description:
      'The input stopped before the closing `</ficAlimMENESR>` tag: the file was cut during ' +
      'transfer or generation. A truncated complete would wrongly mark people as departed, so the ' +
      'whole file is discarded. Ask for the file again.',
  },
});
