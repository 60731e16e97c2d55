/**
 * Where text lies in a drawn SVG: one quadrilateral per `<text>` element (its box in its own coordinates,
 * mapped through its transform, so rotated labels keep their true shape), and the checks exports must pass:
 * every text inside the page, no two texts overlapping. Used to fit layouts and by the export tests.
 */
import type { SvgCheck, TextProblem, TextQuad } from '../drawing';

/**
 * The quad of every non-empty, visible `<text>` element under `root`, relative to `svg`'s top-left corner.
 *
 * @example
 * ```ts
 * // example: compile-only, measures text in a browser page
 * const quads = textQuads(document.querySelector('svg')!);
 * ```
 */
export function textQuads(root: Element, svg?: SVGSVGElement): TextQuad[] {
  const owner = svg ?? (root instanceof SVGSVGElement ? root : root.closest('svg'));
  const origin = owner?.getBoundingClientRect() ?? { left: 0, top: 0 };
  const quads: TextQuad[] = [];
  for (const element of Array.from(root.querySelectorAll('text'))) {
    // plotly writes wrapped text as one <tspan class="line"> per line: the lines read with a space between.
    const lines = Array.from(element.querySelectorAll(':scope > tspan.line'));
    const raw =
      lines.length > 0 ? lines.map(line => line.textContent ?? '').join(' ') : (element.textContent ?? '');
    const text = raw.replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') continue;
    const box = element.getBBox();
    if (box.width === 0 && box.height === 0) continue;
    const matrix = element.getScreenCTM();
    if (matrix === null) continue;
    const corner = (x: number, y: number): [number, number] => {
      const p = new DOMPoint(x, y).matrixTransform(matrix);
      return [p.x - origin.left, p.y - origin.top];
    };
    quads.push({
      text,
      fontSize: parseFloat(style.fontSize) || 0,
      corners: [
        corner(box.x, box.y),
        corner(box.x + box.width, box.y),
        corner(box.x + box.width, box.y + box.height),
        corner(box.x, box.y + box.height)
      ]
    });
  }
  return quads;
}

/**
 * Whether two convex quads overlap by more than `tolerance` px (separating-axis test on both quads'
 * edges): touching boxes do not count.
 */
export function quadsOverlap(a: TextQuad, b: TextQuad, tolerance = 0.5): boolean {
  for (const quad of [a.corners, b.corners]) {
    for (let i = 0; i < quad.length; i++) {
      const [x1, y1] = quad[i];
      const [x2, y2] = quad[(i + 1) % quad.length];
      const length = Math.hypot(x2 - x1, y2 - y1);
      if (length === 0) continue;
      const nx = (y1 - y2) / length;
      const ny = (x2 - x1) / length;
      const project = (corners: [number, number][]): [number, number] => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const [x, y] of corners) {
          const d = x * nx + y * ny;
          lo = Math.min(lo, d);
          hi = Math.max(hi, d);
        }
        return [lo, hi];
      };
      const [aLo, aHi] = project(a.corners);
      const [bLo, bHi] = project(b.corners);
      if (aHi - tolerance <= bLo || bHi - tolerance <= aLo) return false;
    }
  }
  return true;
}

/**
 * Texts lying (partly) outside a `width × height` page, and pairs of texts that overlap.
 *
 * @example
 * ```ts
 * // example: compile-only, measures text in a browser page
 * const svg = document.querySelector('svg')!;
 * textProblems(textQuads(svg), 336, 208); // [] when the layout fits
 * ```
 */
export function textProblems(
  quads: readonly TextQuad[],
  width: number,
  height: number,
  tolerance = 0.5
): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const q of quads) {
    if (
      q.corners.some(
        ([x, y]) => x < -tolerance || y < -tolerance || x > width + tolerance || y > height + tolerance
      )
    ) {
      problems.push({ kind: 'outside', texts: [q.text] });
    }
  }
  for (let i = 0; i < quads.length; i++) {
    for (let j = i + 1; j < quads.length; j++) {
      if (quadsOverlap(quads[i], quads[j], tolerance)) {
        problems.push({ kind: 'overlap', texts: [quads[i].text, quads[j].text] });
      }
    }
  }
  return problems;
}

/**
 * Lays out an SVG document in the page (off-screen) and measures its text: its size, the quad of every
 * text, the {@link textProblems} and the size of every plot area. The export tests check files with it, and the pipeline checks its own
 * drawing with it before choosing a smaller font (the page script's `nnmotifsRender.checkSvg`; the export
 * matrix test runs it on every file).
 */
export function checkSvg(svg: string): SvgCheck {
  const element = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;left:0;top:0';
  host.append(document.importNode(element, true));
  document.body.append(host);
  try {
    const root = host.firstElementChild as SVGSVGElement;
    const width = root.width.baseVal.value;
    const height = root.height.baseVal.value;
    const quads = textQuads(root, root);
    // plotly clips each subplot's data to its plot area: `<clipPath class="plotclip"><rect …/>`.
    const plots = Array.from(root.querySelectorAll('clipPath.plotclip > rect')).map(rect => ({
      width: Number(rect.getAttribute('width')),
      height: Number(rect.getAttribute('height'))
    }));
    return { width, height, quads, problems: textProblems(quads, width, height), plots };
  } finally {
    host.remove();
  }
}
