/** Tests of JSON values shared by the built-in and the CRD checks. */

// Go's encoding/json decodes []byte with base64.StdEncoding: padded, '\r' and '\n' ignored.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NEWLINES_RE = /[\r\n]/g;
export function isBase64(s: string): boolean {
  return BASE64_RE.test(s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replace(NEWLINES_RE, '') : s);
}

// metav1.Time / MicroTime: RFC 3339 with an optional fraction, as Go's time.Parse(RFC3339) accepts it.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
export function isRfc3339(s: string): boolean {
  const m = RFC3339_RE.exec(s);
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}
