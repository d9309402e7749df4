/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`), checked before
 * anything reaches the cluster so a typo fails with the input's name instead of
 * a 422 from the API server halfway through an apply.
 */
const QUANTITY = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text.trim());
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The numeric value of a quantity (cores for CPU, bytes for memory); undefined when invalid. */
export function quantityValue(text: string): number | undefined {
  const value = text.trim();
  if (!isQuantity(value)) return undefined;
  const match = /^([\d.]+)(.*)$/.exec(value) as RegExpExecArray;
  const number = Number(match[1]);
  const suffix = match[2] as string;
  if (suffix in BINARY) return number * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return number * (DECIMAL[suffix] as number);
  return Number(value);
}
