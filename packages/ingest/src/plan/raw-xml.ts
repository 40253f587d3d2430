import type { RawRecord } from '@aaf-sync/aaf';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Re-serialises a raw record as AAF XML, for the `raw` column of rejects (under the id the file
 * gives, `aafId`, when planning already turned its `id` into a directory key).
 */
export function rawRecordXml(raw: RawRecord & { readonly aafId?: string }): string {
  const tag = `${raw.op}Request`;
  const category =
    raw.categoryAttribute && raw.category !== null
      ? `<operationalAttributes><attr name="${escape(raw.categoryAttribute)}"><value>${escape(raw.category)}</value></attr></operationalAttributes>`
      : '';
  const attrTag = raw.op === 'modify' ? 'modification' : 'attr';
  const extra = raw.op === 'modify' ? ' operation="replace"' : '';
  const attrs = Object.entries(raw.attributes)
    .map(
      ([name, values]) =>
        `<${attrTag} name="${escape(name)}"${extra}>${values
          .map((v) => (v === '' ? '<value/>' : `<value>${escape(v)}</value>`))
          .join('')}</${attrTag}>`,
    )
    .join('\n');
  const body =
    raw.op === 'delete'
      ? ''
      : raw.op === 'modify'
        ? `<modifications>\n${attrs}\n</modifications>\n`
        : `<attributes>\n${attrs}\n</attributes>\n`;
  return `<${tag}>\n${category}\n<identifier><id>${escape(raw.aafId ?? raw.id)}</id></identifier>\n${body}</${tag}>`;
}
