/** Reading numbers from log fields: decimal notation, NaN and infinities as Python and numpy print them. */

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * Parses a number written as text; null when it is not one. Accepts `nan`, `inf`, `infinity` in any case
 * with an optional sign (Python, numpy, JS spellings); with `decimalComma`, also `0,001`.
 */
export function parseNumberText(text: string, decimalComma = false): number | null {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  if (decimalComma && DECIMAL_COMMA.test(t)) return Number(t.replace(',', '.'));
  const special = SPECIAL.exec(t);
  if (special !== null) {
    if (special[2].toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  return null;
}
