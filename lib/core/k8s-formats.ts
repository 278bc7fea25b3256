/**
 * The string and number formats the Kubernetes OpenAPI schema uses, checked by the schema walk
 * (schema.ts). Same rules as kubernetes-models' runtime: int32/int64 are integers (int32 in range), double
 * is any number, byte is base64, quantity is a Kubernetes resource quantity, date-time is RFC 3339.
 */

/** One format: `validate` is a test function or a RegExp. */
export interface K8sFormat {
  /** Which JSON type the format applies to. */
  readonly type: 'string' | 'number';
  /** The check. */
  readonly validate: ((value: any) => boolean) | RegExp;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// A quantity (k8s.io/apimachinery resource.Quantity): a signed decimal, then a binary-SI suffix
// (Ki..Ei), a decimal-SI suffix (n, u, m, k, M, G, T, P, E and the rest of the metric prefixes) or
// an exponent (e3, E-2).
const SIGNED_NUMBER = '[+-]?(?:\\d+|\\d+\\.\\d+|\\d+\\.|\\.\\d+)';
export const QUANTITY = new RegExp(`^${SIGNED_NUMBER}(?:[KMGTPE]i|(?:[YZEPTGMkhdcmunpfazy]|da)|[eE]${SIGNED_NUMBER})?$`);

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FULL_TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(z|[+-]\d{2}(?::?\d{2})?)$/i;

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** RFC 3339 `full-date "T" full-time` (a space or lowercase t also separate them); a leap second is 23:59:60. */
export function isDateTime(value: string): boolean {
  const parts = value.split(/[tT\s]/);
  if (parts.length !== 2) return false;
  const d = FULL_DATE.exec(parts[0]);
  const t = FULL_TIME.exec(parts[1]);
  if (!d || !t) return false;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month])) return false;
  const [h, m, s] = [Number(t[1]), Number(t[2]), Number(t[3])];
  return (h <= 23 && m <= 59 && s <= 59) || (h === 23 && m === 59 && s === 60);
}

/** The formats by name, as the OpenAPI schema names them. */
export const formats: Readonly<Record<string, K8sFormat>> = {
  'int32': { type: 'number', validate: (v: number) => Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX },
  'int64': { type: 'number', validate: (v: number) => Number.isInteger(v) },
  'double': { type: 'number', validate: () => true },
  'byte': { type: 'string', validate: (v: string) => BASE64.test(v) },
  'quantity': { type: 'string', validate: QUANTITY },
  'date-time': { type: 'string', validate: isDateTime },
};
