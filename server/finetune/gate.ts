// The publish gate: a candidate may replace its parent only if no figure regresses beyond its
// margin. Pure: tested by tables.

/** One model's evaluation. Recognizability is null when no classifier is available. */
export type Figures = {
  /** Fixed held-out split of the Quick, Draw! data (model/dataset.ts splitHeldOut). */
  heldOut: { n: number; l1: number; top1: number | null; top5: number | null };
  /** The held-out part of the players' new doodles. */
  newHeldOut: { n: number; l1: number; top1: number | null; top5: number | null };
  /** Decoded midpoints of same-category pairs of held-out doodles. */
  midpoints: { n: number; top5: number | null };
};

/** Allowed worsening per figure: L1 up by at most 0.005 (~3% of today's 0.17), hit rates down by at most 2 points. */
export const REGRESSION_MARGIN = { l1: 0.005, top5: 0.02 } as const;

/**
 * Below this many doodles one doodle moves a hit rate by about the margin itself (at 22 pairs one
 * flip is 4.5 points): such rates are reported, not judged; L1 (a mean over pixels) still is.
 */
export const MIN_N_FOR_HIT_RATES = 100;

export type Verdict = { publishable: boolean; reasons: string[] };

export function judge(parent: Figures, candidate: Figures, margin = REGRESSION_MARGIN): Verdict {
  const reasons: string[] = [];
  const l1 = (what: string, p: number, c: number, n: number) => {
    if (n > 0 && c > p + margin.l1) reasons.push(`${what} L1 rose from ${p.toFixed(4)} to ${c.toFixed(4)} (margin ${margin.l1})`);
  };
  const hits = (what: string, p: number | null, c: number | null, n: number) => {
    if (n >= MIN_N_FOR_HIT_RATES && p !== null && c !== null && c < p - margin.top5) {
      reasons.push(`${what} top-5 fell from ${(100 * p).toFixed(1)}% to ${(100 * c).toFixed(1)}% (margin ${100 * margin.top5} points)`);
    }
  };
  l1("held-out", parent.heldOut.l1, candidate.heldOut.l1, candidate.heldOut.n);
  l1("new doodles'", parent.newHeldOut.l1, candidate.newHeldOut.l1, candidate.newHeldOut.n);
  hits("held-out reconstruction", parent.heldOut.top5, candidate.heldOut.top5, candidate.heldOut.n);
  hits("new doodles' reconstruction", parent.newHeldOut.top5, candidate.newHeldOut.top5, candidate.newHeldOut.n);
  hits("same-category midpoint", parent.midpoints.top5, candidate.midpoints.top5, candidate.midpoints.n);
  return { publishable: reasons.length === 0, reasons };
}
