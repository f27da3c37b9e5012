/**
 * Maximum-weight matching in a general graph: Edmonds' blossom algorithm with the primal-dual method, O(n³).
 *
 * A TypeScript port of Joris van Rantwijk's reference implementation (mwmatching.py, the one NetworkX adopted),
 * kept structurally close to it so that it can be checked line by line. Weights must be integers: the reference
 * stores doubled dual variables so that every quantity stays integral, which keeps the arithmetic exact as long as
 * weights stay below about 2^50 (slacks reach four times the largest weight).
 *
 * Deliberate differences from the reference: typed arrays, iterative leaf collection instead of generators, explicit
 * wrap-around for the negative list indices Python allows, and the vertex count can be given (isolated vertices).
 * The npm `edmonds-blossom` port compares blossom ids with `<=` where the reference uses `<`; we use `<` throughout.
 */

export type Edge = readonly [u: number, v: number, weight: number];

/** Largest edge weight for which the doubled-dual integer arithmetic stays exact in a float64. */
export const MAX_SAFE_MATCHING_WEIGHT = 2 ** 50;

/**
 * Returns `mate`, where `mate[v]` is v's partner or -1. With `maxCardinality`, only maximum-cardinality matchings are
 * considered and the heaviest of them is returned.
 */
export function maxWeightMatching(edges: readonly Edge[], maxCardinality = false, vertexCount = 0): number[] {
  let nvertex = vertexCount;
  for (const [i, j, w] of edges) {
    if (i < 0 || j < 0 || i === j) throw new RangeError(`bad edge (${i}, ${j})`);
    if (!Number.isSafeInteger(w) || Math.abs(w) > MAX_SAFE_MATCHING_WEIGHT) {
      throw new RangeError(`edge weight ${w} must be an integer of magnitude at most 2^50`);
    }
    if (i >= nvertex) nvertex = i + 1;
    if (j >= nvertex) nvertex = j + 1;
  }
  if (edges.length === 0) return new Array<number>(nvertex).fill(-1);

  const nedge = edges.length;
  let maxweight = 0;
  for (const e of edges) if (e[2] > maxweight) maxweight = e[2];

  // Edge k has endpoints 2k and 2k+1; endpoint[p] is the vertex at endpoint p.
  const endpoint = new Int32Array(2 * nedge);
  const weight = new Float64Array(nedge);
  const degree = new Int32Array(nvertex);
  for (let k = 0; k < nedge; k++) {
    const e = edges[k]!;
    endpoint[2 * k] = e[0];
    endpoint[2 * k + 1] = e[1];
    weight[k] = e[2];
    degree[e[0]]!++;
    degree[e[1]]!++;
  }
  // neighbend[v]: the remote endpoints of the edges at v.
  const neighbend: Int32Array[] = [];
  for (let v = 0; v < nvertex; v++) neighbend.push(new Int32Array(degree[v]!));
  const fill = new Int32Array(nvertex);
  for (let k = 0; k < nedge; k++) {
    const i = endpoint[2 * k]!;
    const j = endpoint[2 * k + 1]!;
    neighbend[i]![fill[i]!++] = 2 * k + 1;
    neighbend[j]![fill[j]!++] = 2 * k;
  }

  const mate = new Int32Array(nvertex).fill(-1);
  // label: 0 free, 1 S, 2 T (5 marks a breadcrumb during scanBlossom).
  const label = new Int32Array(2 * nvertex);
  const labelend = new Int32Array(2 * nvertex).fill(-1);
  const inblossom = new Int32Array(nvertex);
  for (let v = 0; v < nvertex; v++) inblossom[v] = v;
  const blossomparent = new Int32Array(2 * nvertex).fill(-1);
  const blossomchilds: (number[] | null)[] = new Array(2 * nvertex).fill(null);
  const blossombase = new Int32Array(2 * nvertex).fill(-1);
  for (let v = 0; v < nvertex; v++) blossombase[v] = v;
  const blossomendps: (number[] | null)[] = new Array(2 * nvertex).fill(null);
  const bestedge = new Int32Array(2 * nvertex).fill(-1);
  const blossombestedges: (number[] | null)[] = new Array(2 * nvertex).fill(null);
  const unusedblossoms: number[] = [];
  for (let b = nvertex; b < 2 * nvertex; b++) unusedblossoms.push(b);
  const dualvar = new Float64Array(2 * nvertex);
  for (let v = 0; v < nvertex; v++) dualvar[v] = maxweight;
  const allowedge = new Uint8Array(nedge);
  let queue: number[] = [];

  const slack = (k: number) => dualvar[endpoint[2 * k]!]! + dualvar[endpoint[2 * k + 1]!]! - 2 * weight[k]!;
  const childs = (b: number) => blossomchilds[b]!;
  const endps = (b: number) => blossomendps[b]!;
  // Python lists allow negative indices; the algorithm walks blossoms in both directions using them.
  const at = (list: number[], j: number) => list[j < 0 ? j + list.length : j]!;

  const blossomLeaves = (b: number, out: number[] = []): number[] => {
    if (b < nvertex) {
      out.push(b);
      return out;
    }
    for (const t of childs(b)) {
      if (t < nvertex) out.push(t);
      else blossomLeaves(t, out);
    }
    return out;
  };

  const assignLabel = (w0: number, t0: number, p0: number): void => {
    // Iterative form of the reference's tail recursion (T label → S label on the mate).
    let w = w0;
    let t = t0;
    let p = p0;
    for (;;) {
      const b = inblossom[w]!;
      label[w] = label[b] = t;
      labelend[w] = labelend[b] = p;
      bestedge[w] = bestedge[b] = -1;
      if (t === 1) {
        blossomLeaves(b, queue);
        return;
      }
      const base = blossombase[b]!;
      const mb = mate[base]!;
      w = endpoint[mb]!;
      t = 1;
      p = mb ^ 1;
    }
  };

  const scanBlossom = (v0: number, w0: number): number => {
    let v = v0;
    let w = w0;
    const path: number[] = [];
    let base = -1;
    while (v !== -1 || w !== -1) {
      let b = inblossom[v]!;
      if (label[b]! & 4) {
        base = blossombase[b]!;
        break;
      }
      path.push(b);
      label[b] = 5;
      if (labelend[b] === -1) {
        v = -1;
      } else {
        v = endpoint[labelend[b]!]!;
        b = inblossom[v]!;
        v = endpoint[labelend[b]!]!;
      }
      if (w !== -1) [v, w] = [w, v];
    }
    for (const b of path) label[b] = 1;
    return base;
  };

  const addBlossom = (base: number, k: number): void => {
    let v = endpoint[2 * k]!;
    let w = endpoint[2 * k + 1]!;
    const bb = inblossom[base]!;
    let bv = inblossom[v]!;
    let bw = inblossom[w]!;
    const b = unusedblossoms.pop()!;
    blossombase[b] = base;
    blossomparent[b] = -1;
    blossomparent[bb] = b;
    const path: number[] = [];
    const eps: number[] = [];
    blossomchilds[b] = path;
    blossomendps[b] = eps;
    while (bv !== bb) {
      blossomparent[bv] = b;
      path.push(bv);
      eps.push(labelend[bv]!);
      v = endpoint[labelend[bv]!]!;
      bv = inblossom[v]!;
    }
    path.push(bb);
    path.reverse();
    eps.reverse();
    eps.push(2 * k);
    while (bw !== bb) {
      blossomparent[bw] = b;
      path.push(bw);
      eps.push(labelend[bw]! ^ 1);
      w = endpoint[labelend[bw]!]!;
      bw = inblossom[w]!;
    }
    label[b] = 1;
    labelend[b] = labelend[bb]!;
    dualvar[b] = 0;
    for (const leaf of blossomLeaves(b)) {
      if (label[inblossom[leaf]!] === 2) queue.push(leaf);
      inblossom[leaf] = b;
    }
    // Least-slack edges from the new blossom to each neighbouring S-blossom (keeps delta3 cheap).
    const bestedgeto = new Int32Array(2 * nvertex).fill(-1);
    const consider = (kk: number) => {
      let i = endpoint[2 * kk]!;
      let j = endpoint[2 * kk + 1]!;
      if (inblossom[j] === b) [i, j] = [j, i];
      const bj = inblossom[j]!;
      if (bj !== b && label[bj] === 1 && (bestedgeto[bj] === -1 || slack(kk) < slack(bestedgeto[bj]!))) {
        bestedgeto[bj] = kk;
      }
    };
    for (const sub of path) {
      const list = blossombestedges[sub];
      if (list === null || list === undefined) {
        for (const leaf of blossomLeaves(sub)) for (const p of neighbend[leaf]!) consider(p >> 1);
      } else {
        for (const kk of list) consider(kk);
      }
      blossombestedges[sub] = null;
      bestedge[sub] = -1;
    }
    const best: number[] = [];
    for (const kk of bestedgeto) if (kk !== -1) best.push(kk);
    blossombestedges[b] = best;
    bestedge[b] = -1;
    for (const kk of best) if (bestedge[b] === -1 || slack(kk) < slack(bestedge[b]!)) bestedge[b] = kk;
  };

  const expandBlossom = (b: number, endstage: boolean): void => {
    for (const s of childs(b)) {
      blossomparent[s] = -1;
      if (s < nvertex) inblossom[s] = s;
      else if (endstage && dualvar[s] === 0) expandBlossom(s, endstage);
      else for (const leaf of blossomLeaves(s)) inblossom[leaf] = s;
    }
    if (!endstage && label[b] === 2) {
      // Relabel the sub-blossoms of an expanding T-blossom, from the entry child round to the base.
      const ch = childs(b);
      const ep = endps(b);
      const entrychild = inblossom[endpoint[labelend[b]! ^ 1]!]!;
      let j = ch.indexOf(entrychild);
      let jstep: number;
      let endptrick: number;
      if (j & 1) {
        j -= ch.length;
        jstep = 1;
        endptrick = 0;
      } else {
        jstep = -1;
        endptrick = 1;
      }
      let p = labelend[b]!;
      while (j !== 0) {
        label[endpoint[p ^ 1]!] = 0;
        label[endpoint[at(ep, j - endptrick) ^ endptrick ^ 1]!] = 0;
        assignLabel(endpoint[p ^ 1]!, 2, p);
        allowedge[at(ep, j - endptrick) >> 1] = 1;
        j += jstep;
        p = at(ep, j - endptrick) ^ endptrick;
        allowedge[p >> 1] = 1;
        j += jstep;
      }
      let bv = at(ch, j);
      label[endpoint[p ^ 1]!] = label[bv] = 2;
      labelend[endpoint[p ^ 1]!] = labelend[bv] = p;
      bestedge[bv] = -1;
      j += jstep;
      while (at(ch, j) !== entrychild) {
        bv = at(ch, j);
        if (label[bv] === 1) {
          j += jstep;
          continue;
        }
        let reached = -1;
        for (const leaf of blossomLeaves(bv)) {
          if (label[leaf] !== 0) {
            reached = leaf;
            break;
          }
        }
        if (reached !== -1) {
          label[reached] = 0;
          label[endpoint[mate[blossombase[bv]!]!]!] = 0;
          assignLabel(reached, 2, labelend[reached]!);
        }
        j += jstep;
      }
    }
    label[b] = labelend[b] = -1;
    blossomchilds[b] = blossomendps[b] = null;
    blossombase[b] = -1;
    blossombestedges[b] = null;
    bestedge[b] = -1;
    unusedblossoms.push(b);
  };

  const augmentBlossom = (b: number, v: number): void => {
    let t = v;
    while (blossomparent[t] !== b) t = blossomparent[t]!;
    if (t >= nvertex) augmentBlossom(t, v);
    const ch = childs(b);
    const ep = endps(b);
    const i = ch.indexOf(t);
    let j = i;
    let jstep: number;
    let endptrick: number;
    if (i & 1) {
      j -= ch.length;
      jstep = 1;
      endptrick = 0;
    } else {
      jstep = -1;
      endptrick = 1;
    }
    while (j !== 0) {
      j += jstep;
      t = at(ch, j);
      const p = at(ep, j - endptrick) ^ endptrick;
      if (t >= nvertex) augmentBlossom(t, endpoint[p]!);
      j += jstep;
      t = at(ch, j);
      if (t >= nvertex) augmentBlossom(t, endpoint[p ^ 1]!);
      mate[endpoint[p]!] = p ^ 1;
      mate[endpoint[p ^ 1]!] = p;
    }
    blossomchilds[b] = [...ch.slice(i), ...ch.slice(0, i)];
    blossomendps[b] = [...ep.slice(i), ...ep.slice(0, i)];
    blossombase[b] = blossombase[blossomchilds[b]![0]!]!;
  };

  const augmentMatching = (k: number): void => {
    const starts: [number, number][] = [
      [endpoint[2 * k]!, 2 * k + 1],
      [endpoint[2 * k + 1]!, 2 * k],
    ];
    for (const [s0, p0] of starts) {
      let s = s0;
      let p = p0;
      for (;;) {
        const bs = inblossom[s]!;
        if (bs >= nvertex) augmentBlossom(bs, s);
        mate[s] = p;
        if (labelend[bs] === -1) break;
        const t = endpoint[labelend[bs]!]!;
        const bt = inblossom[t]!;
        s = endpoint[labelend[bt]!]!;
        const j = endpoint[labelend[bt]! ^ 1]!;
        if (bt >= nvertex) augmentBlossom(bt, j);
        mate[j] = labelend[bt]!;
        p = labelend[bt]! ^ 1;
      }
    }
  };

  for (let stage = 0; stage < nvertex; stage++) {
    label.fill(0);
    bestedge.fill(-1);
    for (let b = nvertex; b < 2 * nvertex; b++) blossombestedges[b] = null;
    allowedge.fill(0);
    queue = [];
    for (let v = 0; v < nvertex; v++) {
      if (mate[v] === -1 && label[inblossom[v]!] === 0) assignLabel(v, 1, -1);
    }
    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (const p of neighbend[v]!) {
          const k = p >> 1;
          const w = endpoint[p]!;
          if (inblossom[v] === inblossom[w]) continue;
          let kslack = 0;
          if (!allowedge[k]) {
            kslack = slack(k);
            if (kslack <= 0) allowedge[k] = 1;
          }
          if (allowedge[k]) {
            const lw = label[inblossom[w]!];
            if (lw === 0) {
              assignLabel(w, 2, p ^ 1);
            } else if (lw === 1) {
              const base = scanBlossom(v, w);
              if (base >= 0) addBlossom(base, k);
              else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (label[w] === 0) {
              label[w] = 2;
              labelend[w] = p ^ 1;
            }
          } else if (label[inblossom[w]!] === 1) {
            const b = inblossom[v]!;
            if (bestedge[b] === -1 || kslack < slack(bestedge[b]!)) bestedge[b] = k;
          } else if (label[w] === 0) {
            if (bestedge[w] === -1 || kslack < slack(bestedge[w]!)) bestedge[w] = k;
          }
        }
      }
      if (augmented) break;

      // No augmenting path under the current duals: compute the dual step delta (all values are doubled).
      let deltatype = -1;
      let delta = 0;
      let deltaedge = -1;
      let deltablossom = -1;
      if (!maxCardinality) {
        deltatype = 1;
        delta = Number.POSITIVE_INFINITY;
        for (let v = 0; v < nvertex; v++) if (dualvar[v]! < delta) delta = dualvar[v]!;
      }
      for (let v = 0; v < nvertex; v++) {
        if (label[inblossom[v]!] === 0 && bestedge[v] !== -1) {
          const d = slack(bestedge[v]!);
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 2;
            deltaedge = bestedge[v]!;
          }
        }
      }
      for (let b = 0; b < 2 * nvertex; b++) {
        if (blossomparent[b] === -1 && label[b] === 1 && bestedge[b] !== -1) {
          // Slack between two S-blossoms is even when weights are integers, so the halving is exact.
          const d = slack(bestedge[b]!) / 2;
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 3;
            deltaedge = bestedge[b]!;
          }
        }
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (
          blossombase[b]! >= 0 &&
          blossomparent[b] === -1 &&
          label[b] === 2 &&
          (deltatype === -1 || dualvar[b]! < delta)
        ) {
          delta = dualvar[b]!;
          deltatype = 4;
          deltablossom = b;
        }
      }
      if (deltatype === -1) {
        // No further improvement is possible; max-cardinality optimum reached (duals stay feasible).
        deltatype = 1;
        let minDual = Number.POSITIVE_INFINITY;
        for (let v = 0; v < nvertex; v++) if (dualvar[v]! < minDual) minDual = dualvar[v]!;
        delta = Math.max(0, minDual);
      }
      for (let v = 0; v < nvertex; v++) {
        const l = label[inblossom[v]!];
        if (l === 1) dualvar[v] = dualvar[v]! - delta;
        else if (l === 2) dualvar[v] = dualvar[v]! + delta;
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (blossombase[b]! >= 0 && blossomparent[b] === -1) {
          if (label[b] === 1) dualvar[b] = dualvar[b]! + delta;
          else if (label[b] === 2) dualvar[b] = dualvar[b]! - delta;
        }
      }
      if (deltatype === 1) break;
      if (deltatype === 2) {
        allowedge[deltaedge] = 1;
        let i = endpoint[2 * deltaedge]!;
        if (label[inblossom[i]!] === 0) i = endpoint[2 * deltaedge + 1]!;
        queue.push(i);
      } else if (deltatype === 3) {
        allowedge[deltaedge] = 1;
        queue.push(endpoint[2 * deltaedge]!);
      } else {
        expandBlossom(deltablossom, false);
      }
    }
    if (!augmented) break;
    // End of stage: expand S-blossoms whose dual dropped to zero.
    for (let b = nvertex; b < 2 * nvertex; b++) {
      if (blossomparent[b] === -1 && blossombase[b]! >= 0 && label[b] === 1 && dualvar[b] === 0) {
        expandBlossom(b, true);
      }
    }
  }

  const result = new Array<number>(nvertex);
  for (let v = 0; v < nvertex; v++) result[v] = mate[v]! >= 0 ? endpoint[mate[v]!]! : -1;
  return result;
}
