import { type CharSet, caseFolded, EMPTY, FULL, intersects, union } from './char-set.js';
import { type Alt, parseJsPattern, type Seq, type Term } from './js-pattern.js';

/**
 * Decides whether V8's backtracking engine runs a translated pattern in time linear in the input
 * (times a constant that depends on the pattern only). Only such patterns take the fast path in
 * `compileGoRegex`; every other one runs on the RE2 engine. The test is conservative: `false` costs
 * speed, never correctness. See docs/design/regex.md for the reasoning.
 *
 * Each top-level alternative is checked alone, after inlining unquantified single-branch groups:
 * - a group that is repeated or has alternatives must hold no unbounded repetition, and the number of
 *   ways the bounded parts can split the input must stay small (`MAX_CHOICES`);
 * - an unbounded repetition of one character class (`[a-z]+`, `.*`) is *deterministic* when no character
 *   it takes can start what follows it: giving a character back then fails at once. In an alternative
 *   anchored by a leading `^`, every unbounded repetition but the last one must be deterministic;
 * - without the anchor V8 retries at every offset, so an unbounded repetition is only allowed as the
 *   very last item (it then never gives anything back).
 */

/** Bound on the product of the choices of bounded repetitions and alternatives in one alternative. */
const MAX_CHOICES = 256;

export function isLinearUnderBacktracking(source: string, flags: string): boolean {
  let alt: Alt;
  try {
    alt = parseJsPattern(source, flags.includes('s'));
  } catch {
    return false;
  }
  const fold = flags.includes('i') ? caseFolded : (set: CharSet) => set;
  const multiline = flags.includes('m');
  return alt.every((branch) => branchIsLinear(flatten(branch), fold, multiline));
}

/** Inlines groups that are neither repeated nor alternatives: `^/(\d+)/x` reads as `^/\d+/x`. */
function flatten(seq: Seq): Term[] {
  const out: Term[] = [];
  for (const t of seq) {
    if (t.atom.kind === 'group' && t.min === 1 && t.max === 1 && t.atom.alt.length === 1) {
      out.push(...flatten(t.atom.alt[0]!));
    } else out.push(t);
  }
  return out;
}

function branchIsLinear(terms: Term[], fold: (s: CharSet) => CharSet, multiline: boolean): boolean {
  const first = terms[0]?.atom;
  const anchored = !multiline && first?.kind === 'anchor' && first.at === 'start';
  let lastUnbounded = -1;
  let choices = 1;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (t.atom.kind === 'look') return false;
    if (t.atom.kind === 'group') {
      const inner = groupChoices(t.atom.alt);
      // JS stops repeating a group once it matched empty; RE2 does not: `(a|){1,3}` may differ.
      if (inner === undefined || (t.max > t.min && nullable(t.atom.alt))) return false;
      choices *= repeatChoices(inner, t.min, t.max);
    } else if (t.atom.kind === 'chars') {
      if (t.max === Number.POSITIVE_INFINITY) lastUnbounded = i;
      else if (t.max > t.min && !deterministic(terms, i, fold)) choices *= t.max - t.min + 1;
    }
    if (choices > MAX_CHOICES) return false;
  }
  if (lastUnbounded === -1) return true;
  if (!anchored) return lastUnbounded === terms.length - 1;
  for (let i = 0; i < lastUnbounded; i++) {
    const t = terms[i]!;
    if (t.max === Number.POSITIVE_INFINITY && !deterministic(terms, i, fold)) return false;
  }
  return true;
}

/** Whether a character the repetition at `i` takes can never start what follows it. */
function deterministic(terms: Term[], i: number, fold: (s: CharSet) => CharSet): boolean {
  const atom = terms[i]!.atom;
  if (atom.kind !== 'chars') return false;
  let follow: CharSet = EMPTY;
  for (let j = i + 1; j < terms.length; j++) {
    const next = terms[j]!;
    if (next.atom.kind === 'anchor') {
      if (next.atom.at === 'word') continue;
      break; // `$` (or `^`) cannot match where a character follows
    }
    if (next.atom.kind !== 'chars') {
      follow = FULL;
      break;
    }
    follow = union(follow, next.atom.set);
    if (next.min > 0) break;
  }
  return !intersects(fold(atom.set), fold(follow));
}

/** Whether some alternative can match the empty string. */
function nullable(alt: Alt): boolean {
  return alt.some((seq) =>
    seq.every(
      (t) => t.min === 0 || t.atom.kind === 'anchor' || (t.atom.kind === 'group' && nullable(t.atom.alt)),
    ),
  );
}

/** The ways a bounded group can match, or undefined when it holds an unbounded repetition. */
function groupChoices(alt: Alt): number | undefined {
  let sum = 0;
  for (const seq of alt) {
    let product = 1;
    for (const t of seq) {
      if (t.max === Number.POSITIVE_INFINITY || t.atom.kind === 'look') return undefined;
      const each = t.atom.kind === 'group' ? groupChoices(t.atom.alt) : 1;
      if (each === undefined) return undefined;
      if (t.atom.kind === 'group' && t.max > t.min && nullable(t.atom.alt)) return undefined;
      product *= t.atom.kind === 'group' ? repeatChoices(each, t.min, t.max) : t.max - t.min + 1;
      if (product > MAX_CHOICES) return Number.POSITIVE_INFINITY;
    }
    sum += product;
  }
  return sum;
}

/** Choices of `inner` repeated `min`..`max` times: Σ inner^k. */
function repeatChoices(inner: number, min: number, max: number): number {
  let total = 0;
  for (let k = min; k <= max; k++) {
    total += inner ** k;
    if (total > MAX_CHOICES) return Number.POSITIVE_INFINITY;
  }
  return total;
}
