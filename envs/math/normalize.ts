/**
 * LaTeX clean-up before parsing (data/math/VERIFY.md section 3): styling, delimiters, words,
 * units and malformed operators, so that equal answers written differently reach the parser in
 * one form. Pure string → string.
 */

/**
 * Unit words dropped after a number (VERIFY.md: "a fixed list of about 150 words"). The only
 * one-letter units are m, s and g (as in Math-Verify's list): `3 n`, `2 k`, `5 a` are products
 * with a variable far more often than newtons, kelvins or amperes.
 */
const UNITS = [
  'cm', 'm', 'km', 'mm', 'nm', 'kg', 'g', 'mg', 'lb', 'lbs', 'oz', 's', 'sec', 'second', 'min', 'minute', 'hour', 'hr', 'day', 'week', 'month', 'year',
  'degree', 'deg', 'inch', 'inche', 'feet', 'foot', 'ft', 'yard', 'yd', 'mile', 'mph', 'kmh', 'cent', 'dollar', 'rs', 'rupee', 'euro', 'unit', 'square', 'cubic',
  'apple', 'meter', 'metre', 'centimeter', 'kilometer', 'millimeter', 'liter', 'litre', 'ml', 'gallon', 'ounce', 'pound', 'gram', 'kilogram', 'ton',
  'people', 'person', 'student', 'point', 'way', 'time', 'step', 'digit', 'coin', 'page', 'mile per hour', 'sq', 'sqft', 'ft²', 'm²', 'cm²', 'km²',
  'mile²', 'hz', 'khz', 'mhz', 'ghz', 'kw', 'watt', 'kwh', 'joule', 'volt', 'amp', 'ohm', 'newton', 'pa', 'kpa', 'atm',
  'kelvin', 'ev', 'kev', 'mev', 'angstrom', 'au', 'ly', 'pc', 'kpc', 'mpc', 'calorie', 'cal', 'kcal', 'bit', 'byte', 'kb', 'mb', 'gb',
];
const UNIT_RE = new RegExp(`(?<=[\\d}\\s])\\s*(?:${UNITS.map((u) => u.replace(/[²]/g, '\\u00b2')).sort((a, b) => b.length - a.length).join('|')})(?:e?s)?\\s*$`, 'i');

const UNIT_WORD = new Set(UNITS);

/** A unit name as compared: lower case, singular, `square`/`cubic`/`sq` read as a power. */
function unitName(text: string): { name: string; power: number } | undefined {
  let t = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
  let power = 1;
  const pre = /^(square|sq\.?|cubic) /.exec(t);
  if (pre) {
    power = pre[1] === 'cubic' ? 3 : 2;
    t = t.slice(pre[0].length);
  }
  const singular = UNIT_WORD.has(t) ? t : UNIT_WORD.has(t.replace(/e?s$/, '')) ? t.replace(/e?s$/, '') : t.replace(/s$/, '');
  // Phrases count too (`distinct integers`, `p.m.`): the same phrase with another power is another unit.
  return /^[a-zµ°][a-zµ°. ]*$/.test(singular) ? { name: singular, power } : undefined;
}

/**
 * `s` without its trailing characters that match `char` (one character). A loop: `/[…]+$/`
 * restarts at every position of a long run that does not reach the end (quadratic).
 */
function trimEndChars(s: string, char: RegExp): string {
  let end = s.length;
  while (end > 0 && char.test(s[end - 1] as string)) end--;
  return s.slice(0, end);
}

/**
 * The unit an answer ends with and its power: `864 \mbox{ inches}^2` → inch², `5 \text{ cm}` →
 * cm¹, `15 square feet` → feet². Undefined when the answer ends in no unit.
 */
export function trailingUnit(raw: string): { name: string; power: number } | undefined {
  const s = trimEndChars(raw.replace(/\\(?:mathrm|mbox|textrm|textnormal)\{/g, '\\text{'), /[\s.$]/);
  const pow = String.raw`(?:\^\s*\{?\s*(-?\d+)\s*\}?)?$`;
  // No `\s*` before the spacing group, which already takes spaces: the two split a run of spaces
  // every way and backtracked cubically on a long one.
  const text = new RegExp(String.raw`[^\s{](?:\\[,;! ]|~|\s)*\\text\{([^{}]*)\}\s*` + pow).exec(s);
  const word = text ? undefined : new RegExp(String.raw`\d\s*((?:square |cubic |sq )?[a-zA-Z]+)\s*` + pow).exec(s);
  const m = text ?? word;
  if (!m) return undefined;
  const u = unitName(m[1] as string);
  if (!u || (word && !UNIT_WORD.has(u.name))) return undefined;
  return { name: u.name, power: u.power * (m[2] !== undefined ? Number(m[2]) : 1) };
}

/**
 * Whether two answers name the same unit with different powers (`15\mbox{ cm}^2` and `15\mbox{ cm}^3`).
 * Deviation from Math-Verify, which strips both units and calls them equal; an answer without a
 * unit, or with another unit name, is not in conflict (units are stripped, as Math-Verify does).
 */
export function unitsConflict(a: string, b: string): boolean {
  const [ua, ub] = [trailingUnit(a), trailingUnit(b)];
  return ua !== undefined && ub !== undefined && ua.name === ub.name && ua.power !== ub.power;
}

/** Replaces `\cmd{arg}` (brace-matched) by `wrap(arg)`; leaves malformed input alone. */
export function replaceCommandArg(text: string, cmd: string, wrap: (arg: string) => string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = text.indexOf(cmd + '{', i);
    if (at < 0) break;
    // `\text` must not match `\textbf`.
    const end = findClosingBrace(text, at + cmd.length);
    if (end < 0) break;
    out += text.slice(i, at) + wrap(text.slice(at + cmd.length + 1, end));
    i = end + 1;
  }
  return out + text.slice(i);
}

/** Index of the `}` closing the `{` at `open`, or -1. */
export function findClosingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

/** Strips a trailing unit (text, mbox or unit word), as Math-Verify does, twice. */
function stripUnits(s: string): string {
  for (let k = 0; k < 2; k++) {
    const before = s;
    // A trailing \text{...}/\mbox{...} (optionally squared/cubed) after something else is a unit.
    const m = /^(.*?\S)\s*\\(?:text|mbox)\{([^{}]*)\}(?:\^\{?\d\}?)?\s*$/.exec(s);
    if (m && /[\d}a-z)]\s*$/i.test(m[1] as string) && !/^\s*(?:and|or)\s*$/i.test(m[2] as string)) s = m[1] as string;
    // A one-letter unit (`5 m`, `10 s`) only after a plain number and a space: `2n` and `3x` are expressions.
    s = s.replace(UNIT_RE, (u) => (/^\s*[a-z]\s*$/i.test(u) && !/^-?[\d.,]+\s+[a-z]$/i.test(s) ? u : '')).trimEnd();
    if (s === before) break;
  }
  return s;
}

/**
 * Normalises one extracted answer.
 *
 * @example normalizeLatex('\\dfrac{1}{2}')      // '\\frac{1}{2}'
 * @example normalizeLatex('864 \\mbox{ inches}^2') // '864'
 */
export function normalizeLatex(input: string): string {
  let s = input;
  s = s.replace(/[\n\t\r]/g, ' ');
  // A doubled backslash before a command (`\\frac`, from over-escaped JSON) is one backslash, except for matrix row breaks.
  if (!/\\begin\{/.test(s)) s = s.replace(/\\\\(?=[a-zA-Z])/g, '\\');
  // Boxes: keep the contents (an extracted `$\boxed{5}$` environment is the answer 5).
  s = replaceCommandArg(replaceCommandArg(s, '\\boxed', (a) => a), '\\fbox', (a) => a);
  // Thousands written `32,\!348`, `10{,}000` or `14 {, }916` are one number.
  s = s.replace(/(\d)\s*(?:,\s*\\!|\{\s*,\s*\})\s*(?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/\\(?:displaystyle|textstyle|scriptstyle)\b/g, '');
  s = s.replace(/\\(?:left|right|mleft|mright|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg)(?![a-zA-Z])\s*(\\[{}|]|[()[\]|.])?/g, (_m, d: string | undefined) =>
    d === '.' || d === undefined ? '' : d,
  );
  s = s.replace(/\\[dtc]frac/g, '\\frac');
  s = s.replace(/\\geqslant/g, '\\ge').replace(/\\leqslant/g, '\\le');
  s = s.replace(/\\(?:mathrm|mathbf|mathit|textbf|textit|textrm|textnormal|operatorname\*?|mathsf|boldsymbol|mbox)\{/g, (m) =>
    m.startsWith('\\operatorname') ? '\\operatorname{' : '\\text{',
  );
  s = s.replace(/\\text\{\s*\}/g, '');
  s = s.replace(/\\mathrm\{th\}|\^\{?\\text\{th\}\}?/g, '');
  s = s.replace(/\\\\|\\[!,;:]|\\ |~/g, (m) => (m === '\\\\' ? m : m === '\\!' ? '' : ' '));
  s = s.replace(/\\\$/g, '').replace(/\$/g, '');
  // Math delimiters inside an answer (`\( \frac{1}{2} \)`) are dropped like `$`.
  s = s.replace(/\\[()]/g, '');
  s = s.replace(/["']/g, (q) => (q === "'" ? "'" : ''));
  s = s.replace(/\\(?:ldots|cdots|dots)\b/g, '');
  s = s.replace(/\\(?:bigskip|quad|qquad|hspace\{[^}]*\})/g, ' ');
  // Degrees are dropped, not converted (VERIFY.md: `90^\circ` = 90).
  s = s.replace(/\^\s*\{?\s*\\circ\s*\}?|\\circ|°|\\degree/g, '');
  s = s.replace(/\\text\{\s*(and|or)\s*\}/gi, ',').replace(/(?<!\s)\s+(?:and|or)\s+/gi, ', ').replace(/(?<=[)\]}])\s*(?:and|or)\s*(?=[([{\\])/g, ', ');
  // `19, 46, and 82`: a comma before "and" (itself now a comma) is one separator, not an empty item.
  s = s.replace(/,(?:\s*,)+/g, ',');
  s = s.replace(/\b(?:infinity|inf)\b/g, '\\infty');
  // `(?<!\s)`: a match starts only where a run of spaces starts (as the leftmost match did anyway),
  // so a long run is not rescanned from each of its positions (quadratic).
  s = s.replace(/(?<!\s)\s*(?:\\text\{\s*(?:percent|percentage|pct)\s*\}|\bpercent(?:age)?\b|\bpct\b)/gi, '\\%');
  s = s.replace(/(^|[^\\])\bsqrt\s*\(([^()]*)\)/g, '$1\\sqrt{$2}').replace(/(^|[^\\a-z])sqrt\b/g, '$1\\sqrt');
  s = stripUnits(s.trim());
  // Malformed operators: `\frac12`, `\frac1{2}`, `\sqrt3`, `^(x)`, `\log_2 8`.
  s = s.replace(/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}').replace(/\\frac\s*(\d)\s*\{/g, '\\frac{$1}{').replace(/\\frac\s*(\{[^{}]*\})\s*(\d)/g, '\\frac$1{$2}');
  // `\dot{x}_{0}` is the derivative of x₀ (compute-engine would read it as ẋ times 0).
  s = s.replace(/\\(dot|ddot)\{([^{}]*)\}_(\{[^{}]*\}|[a-zA-Z0-9])/g, '\\$1{$2_$3}');
  s = s.replace(/\\sqrt\s*(\d+)/g, '\\sqrt{$1}').replace(/\^\(([^()]*)\)/g, '^{$1}');
  s = s.replace(/\\log_(\d+)\s*(\d+)/g, '\\log_{$1}{$2}');
  // `d !` is `d!`; an answer stated as `\approx 8.24` is 8.24.
  s = s.replace(/([\w)}\]])\s+!/g, '$1!').replace(/^\s*(?:\\approx|\\sim|=)\s*/, '');
  s = s.trim().replace(/^[.,;:\s]+|[.,;:\s]+$/g, (m, at: number) => (at === 0 && m.startsWith('.') && /^\.\d/.test(s) ? '0.' : ''));
  if (/^\.\d/.test(s)) s = `0${s}`;
  return s.replace(/\s+/g, ' ').trim();
}
