/**
 * One figure from every figure builder (and a network view), made from real analyses of small seeded
 * networks, with the characters papers need (− × ± σ μ ≤ ≥, Greek, non-ASCII names). The export tests draw
 * each of them at every preset; `docs/export.md`'s pictures come from them too.
 */
import { layerFluctuation, linkWeights, nodeStrength } from '../../src/core/metrics';
import { createRng } from '../../src/core/random';
import { motifSignificance } from '../../src/core/significance';
import { canonicalForm } from '../../src/core/canonical';
import { layerFluctuationFigure, linkWeightFigure, strengthVarianceFigure } from '../../src/figures/metrics';
import {
  motifCountsFigure,
  motifZScoreFigure,
  significanceProfileFigure,
  zVsSparsityFigure
} from '../../src/figures/motifs';
import { networkView } from '../../src/figures/network';
import type { NetworkViewSpec } from '../../src/figures/network-spec';
import type { FigureSpec } from '../../src/figures/spec';
import { nodeStrengthFigure } from '../../src/figures/strength';
import {
  groupedDistributionFigure,
  intervalFigure,
  klHeatmapFigure,
  metricVsAccuracyFigure
} from '../../src/figures/studies';
import { significantClassesFigure, subgraphDeltaZFigure } from '../../src/figures/subgraphs';
import { pruningCurveFigure, sparsityPerLayerFigure, trainingCurvesFigure } from '../../src/figures/training';
import { randomNetwork } from '../core/helpers/random-network';

/** A named sample: a figure spec or a network view. */
export interface GallerySample {
  builder: string;
  spec: FigureSpec | NetworkViewSpec;
}

/** The samples, one per builder. */
export function figureGallery(): GallerySample[] {
  const net = randomNetwork(createRng(5), { maxLayers: 3, maxWidth: 6, density: 0.6, masked: false });
  const trained = motifSignificance(net, { samples: 60, seed: 1 });
  const pruned = motifSignificance(net, { samples: 60, seed: 2 });
  const strength = nodeStrength(net);
  const chain = canonicalForm(3, [0, 1, 0, 0, 0, 1, 0, 0, 0]).key;
  const mixed = canonicalForm(3, [0, 2, 0, 0, 0, -1, 0, 0, 0]).key;
  const fan = canonicalForm(4, [0, 0, -2, -2, 0, 0, -2, -2, 0, 0, 0, 0, 0, 0, 0, 0]).key;
  const rng = createRng(9);
  const sample = (n: number, mean: number, sd: number): number[] =>
    Array.from({ length: n }, () => mean + sd * rng.normal());
  const figures: [string, FigureSpec | NetworkViewSpec][] = [
    [
      'nodeStrength',
      nodeStrengthFigure(strength, { title: 'Node strength per layer (σ-scaled init, μ ± σ)' })
    ],
    ['linkWeight', linkWeightFigure(linkWeights(net, { bins: 12 }))],
    [
      'layerFluctuation',
      layerFluctuationFigure([
        { name: 'trained (Adam, η = 0.001)', values: layerFluctuation(net) },
        { name: 'initial', values: layerFluctuation(net).map(v => v * 0.6) }
      ])
    ],
    [
      'strengthVariance',
      strengthVarianceFigure([
        { name: 'Glorot', before: [1.2, 2.1, 1.8], after: [0.12, 0.2] },
        { name: 'He ×2', before: [3.1, 2.7], after: [0.3, 0.22, 0.25] },
        { name: 'orthogonal', before: [0.9, 1.1], after: [0.05, 0.07] }
      ])
    ],
    [
      'motifZScore',
      motifZScoreFigure([{ name: 'trained', result: trained }], {
        title: 'Motif Z-scores of a trained network against the random-pruning null'
      })
    ],
    [
      'motifZScoreGroups',
      motifZScoreFigure([
        { name: 'trained', result: trained },
        { name: 'pruned 90 % (Łódź run)', result: pruned }
      ])
    ],
    ['motifCounts', motifCountsFigure({ name: 'trained', result: trained })],
    [
      'significanceProfile',
      significanceProfileFigure([
        { name: 'trained', result: trained },
        { name: 'pruned', result: pruned }
      ])
    ],
    [
      'zVsSparsity',
      zVsSparsityFigure([
        { sparsity: 0.5, results: [trained, pruned] },
        { sparsity: 0.9, results: [pruned, trained, pruned] }
      ])
    ],
    [
      'groupedDistribution',
      groupedDistributionFigure(
        [
          { name: 'accuracy ≤ 80 %', values: sample(20, 2, 0.5) },
          { name: '80–90 %', values: sample(20, 1.5, 0.4) },
          { name: 'accuracy ≥ 90 %', values: sample(20, 1, 0.3) }
        ],
        { xTitle: 'Test accuracy bin', yTitle: 'Layer fluctuation Y (sd of node strength, a.u.)', logY: true }
      )
    ],
    [
      'klHeatmap',
      klHeatmapFigure(
        ['≤ 80 %', '80–90 %', '≥ 90 %'],
        [
          [0, 1.5, 2.2],
          [1.5, 0, 0.7],
          [2.2, 0.7, 0]
        ],
        { axisTitle: 'Test accuracy bin' }
      )
    ],
    [
      'metricVsAccuracy',
      metricVsAccuracyFigure(
        [
          { name: 'σ = 0.5', x: [0.81, 0.86, 0.9, 0.93], y: [2.1, 1.8, 1.4, 1.1] },
          { name: 'σ = 1.0', x: [0.78, 0.84, 0.88], y: [2.6, 2.2, 1.9] }
        ],
        { yTitle: 'Layer fluctuation Y (a.u.)' }
      )
    ],
    [
      'interval',
      intervalFigure(
        ['Glorot', 'He', 'LeCun'],
        [
          {
            name: 'not rewired',
            samples: [sample(8, 0.85, 0.05), sample(8, 0.8, 0.05), sample(8, 0.82, 0.04)]
          },
          {
            name: 'PA rewired',
            samples: [sample(8, 0.88, 0.05), sample(8, 0.84, 0.05), sample(8, 0.86, 0.04)]
          }
        ],
        { yTitle: 'Test accuracy (%) ± 95 % interval', scale: 100 }
      )
    ],
    [
      'subgraphDeltaZ',
      subgraphDeltaZFigure([
        {
          name: 'normal',
          deltaZ: [
            { [chain]: 1, [mixed]: -4, [fan]: 2.5 },
            { [chain]: 3, [mixed]: -2, [fan]: 1.5 }
          ]
        },
        {
          name: 'Glorot',
          deltaZ: [
            { [chain]: 0.5, [mixed]: -1.2, [fan]: -0.4 },
            { [chain]: 0.5, [fan]: 0.2 }
          ]
        }
      ])
    ],
    [
      'significantClasses',
      significantClassesFigure(
        [
          { name: 'normal', before: [10, 14], after: [30, 40] },
          { name: 'orthogonal', before: [12, 12], after: [11, 15] }
        ],
        { chance: 18.7 }
      )
    ],
    [
      'trainingCurves',
      trainingCurvesFigure(
        {
          loss: [0.9, 0.5, 0.3, 0.22, 0.2],
          valLoss: [1, 0.6, 0.45, 0.4, 0.41],
          acc: [0.6, 0.75, 0.84, 0.88, 0.9],
          valAcc: [0.55, 0.7, 0.8, 0.83, 0.84]
        },
        { lossLabel: 'MSE' }
      )
    ],
    [
      'pruningCurve',
      pruningCurveFigure(
        [
          { name: 'net A', sparsity: [0, 0.5, 0.9, 0.95], loss: [1e-4, 5e-4, 1e-3, 4e-3] },
          { name: 'net B', sparsity: [0, 0.5, 0.8], loss: [2e-4, 3e-4, 2e-3] }
        ],
        { threshold: 1e-3 }
      )
    ],
    [
      'sparsityPerLayer',
      sparsityPerLayerFigure(
        [
          [0.5, 0.5, 0.3],
          [0.9, 0.88, 0.6],
          [0.95, 0.93, 0.7]
        ],
        { levels: [0.5, 0.9, 0.95] }
      )
    ],
    ['networkView', networkView(net, { title: 'Trained network (bi-fan instances, weights ± by colour)' })]
  ];
  return figures.map(([builder, spec]) => ({ builder, spec }));
}
