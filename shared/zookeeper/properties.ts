/**
 * zoo.cfg is read by java.util.Properties from an InputStream: ISO-8859-1, backslash escapes, leading
 * blanks dropped, and ZooKeeper then trims every value. A value is written so that Properties reads back
 * exactly the string we meant (backslashes and non-ASCII escaped), or it is refused when ZooKeeper would
 * read something else (empty, blanks at either end) or when it can only mean a mistake (control characters).
 */
export function propertyValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break: it would smuggle another key into zoo.cfg';
  // eslint-disable-next-line no-control-regex
  if (/[\0-\x1f\x7f]/.test(value)) return 'contains a control character (tab, NUL, escape ...)';
  if (value === '') return 'is empty';
  if (value.trim() !== value) return 'has leading or trailing blanks, which ZooKeeper trims away';
  if (/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return 'is not valid Unicode';
  return undefined;
}

/** The escaped form of a value that passed propertyValueProblem. */
export function escapePropertyValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}
