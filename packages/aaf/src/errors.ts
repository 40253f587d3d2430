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
  TOO_DEEP: {
    status: 422,
    message: '{fileName}:{line}: elements nested deeper than {limit} levels (AAF_MAX_XML_DEPTH)',
    description:
      'An AAF file nests its elements 5 levels deep (root, request, section, attr, value). A ' +
      'file nesting deeper than AAF_MAX_XML_DEPTH is refused as soon as the limit is passed, ' +
      'before anything more is read; nothing of it is applied.',
  },
  TOO_MANY_XML_ATTRIBUTES: {
    status: 422,
    message:
      '{fileName}:{line}: an element carries more than {limit} XML attributes (AAF_MAX_XML_ATTRIBUTES)',
    description:
      'AAF elements carry at most two XML attributes (`name`, `operation`). A tag with more than ' +
      'AAF_MAX_XML_ATTRIBUTES of them (an attribute flood) fails the file as soon as the limit is ' +
      'passed; nothing of it is applied.',
  },
  TOO_MANY_ATTRIBUTES: {
    status: 422,
    message:
      '{fileName}:{line}: a request holds more than {limit} attributes (AAF_MAX_ATTRIBUTES_PER_RECORD)',
    description:
      'One `addRequest` / `modifyRequest` names more distinct `<attr>` / `<modification>` than ' +
      'AAF_MAX_ATTRIBUTES_PER_RECORD (real records hold fewer than 100). The file is refused; ' +
      'nothing of it is applied.',
  },
  TOO_MANY_VALUES: {
    status: 422,
    message:
      '{fileName}:{line}: attribute {attribute} holds more than {limit} values (AAF_MAX_VALUES_PER_ATTRIBUTE)',
    description:
      'One attribute of a request holds more `<value>`s than AAF_MAX_VALUES_PER_ATTRIBUTE. The ' +
      'file is refused; nothing of it is applied.',
  },
  TOO_MANY_RECORDS: {
    status: 422,
    message: '{fileName}:{line}: more than {limit} requests in one file (AAF_MAX_RECORDS_PER_FILE)',
    description:
      'The file holds more requests than AAF_MAX_RECORDS_PER_FILE (the reader keeps the id of ' +
      'each to detect duplicates, so their number bounds its memory). Real exports are chunked ' +
      'well below it. The file is refused; nothing of it is applied.',
  },
  FILE_TOO_LARGE: {
    status: 413,
    message: '{fileName}: more than {limit} bytes uncompressed (AAF_MAX_FILE_BYTES)',
    description:
      'One XML file (loose, or a member of an archive) is, or inflates to, more than ' +
      'AAF_MAX_FILE_BYTES bytes. Bytes are counted as they stream (a zip may declare false ' +
      'sizes); nothing of the file is applied.',
  },
  ARCHIVE_TOO_LARGE: {
    status: 413,
    message: '{archive}: {reason} (AAF_MAX_ARCHIVE_BYTES, AAF_MAX_ARCHIVE_ENTRIES)',
    description:
      'An archive holds more than AAF_MAX_ARCHIVE_ENTRIES members or inflates to more than ' +
      'AAF_MAX_ARCHIVE_BYTES bytes (an archive bomb?). It is refused while it is listed, before ' +
      'anything of it is imported.',
  },
  DELIVERY_TOO_LARGE: {
    status: 413,
    message: 'the files given hold more than {limit} bytes uncompressed (AAF_MAX_DELIVERY_BYTES)',
    description:
      'All the files of one ingest call (paths of the CLI, one inbox delivery, one upload) add up ' +
      'to more than AAF_MAX_DELIVERY_BYTES uncompressed bytes. Nothing is imported; split the ' +
      'delivery or raise the limit.',
  },
});
