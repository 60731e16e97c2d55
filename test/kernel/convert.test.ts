import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { createNetwork } from '../../src/core/validate';
import { fromModel, toModel } from '../../src/kernel/convert';
import { loadNetwork } from '../../src/kernel/files';
import { mlp } from '../../src/kernel/models';
import { getTf, tfBackend } from '../../src/kernel/tf';
import { forward } from '../core/formats/helpers';
import { randomNetwork } from '../core/helpers/random-network';

const tf = getTf();
const root = mkdtempSync(join(tmpdir(), 'nnmotifs-convert-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function predict(model: ReturnType<typeof toModel>, inputs: number[][]): number[][] {
  return tf.tidy(() => (model.predict(tf.tensor2d(inputs)) as ReturnType<typeof tf.tensor2d>).arraySync());
}

/** The activations toModel uses for layers that record none (hidden relu, output linear), made explicit. */
function withDefaults(net: LayeredNetwork): LayeredNetwork {
  const last = net.layers.length - 1;
  return {
    layers: net.layers.map((l, i) => ({ ...l, activation: l.activation ?? (i === last ? 'linear' : 'relu') }))
  };
}

describe('toModel', () => {
  it('computes the network: masked connections are zero, biases and activations as recorded', () => {
    for (let seed = 0; seed < 12; seed++) {
      const rng = createRng(100 + seed);
      const net = randomNetwork(rng, { masked: seed % 2 === 0 });
      const model = toModel(net);
      const inputs = Array.from({ length: 3 }, () =>
        Array.from({ length: net.layers[0].nIn }, () => rng.normal())
      );
      const got = predict(model, inputs);
      inputs.forEach((x, n) =>
        forward(withDefaults(net), x).forEach((v, j) => expect(got[n][j]).toBeCloseTo(v, 4))
      );
      expect(model.layers.map(l => (l.getConfig() as { useBias: boolean }).useBias)).toEqual(
        net.layers.map(l => l.bias !== undefined)
      );
      model.dispose();
    }
  });

  it('fromModel(toModel(net)) gives the masked weights rounded to float32, without a mask', () => {
    const net = createNetwork([
      {
        weights: [
          [0.1, 2],
          [-3, 4]
        ],
        mask: [
          [1, 0],
          [1, 1]
        ],
        bias: [0.5, -0.25],
        activation: 'tanh'
      },
      { weights: [[1], [1 / 3]], activation: 'sigmoid' }
    ]);
    const back = fromModel(toModel(net, { name: 'back' }));
    expect(Array.from(back.layers[0].weights)).toEqual([Math.fround(0.1), 0, -3, 4]);
    expect(back.layers[0].mask).toBeUndefined();
    expect(Array.from(back.layers[0].bias ?? [])).toEqual([0.5, -0.25]);
    expect(back.layers[1].bias).toBeUndefined();
    expect(back.layers.map(l => l.activation)).toEqual(['tanh', 'sigmoid']);
  });

  it('uses the given activations where the network records none, and names a layer TF.js cannot build', () => {
    const net = createNetwork([{ weights: [[1]] }, { weights: [[1]] }]);
    expect(
      fromModel(toModel(net, { activation: 'elu', outputActivation: 'softmax' })).layers.map(
        l => l.activation
      )
    ).toEqual(['elu', 'softmax']);
    const odd = createNetwork([{ weights: [[1]], activation: 'wiggle' }]);
    expect(() => toModel(odd)).toThrow(/toModel: layer 0: TF\.js cannot build activation "wiggle"/);
    expect(() => toModel({ layers: [] })).toThrow(/no layers/);
  });

  it('tfjs model → network → tfjs model predicts the same', () => {
    const model = mlp([4, 9, 5, 3], {
      activation: 'tanh',
      outputActivation: 'softmax',
      init: 'heNormal',
      seed: 5
    });
    // Non-zero biases, so that their layout matters.
    model.layers.forEach((layer, l) => {
      const [k, b] = layer.getWeights();
      layer.setWeights([k, tf.tensor1d(Array.from({ length: b.shape[0] }, (_, j) => 0.1 * (j - l)))]);
    });
    const inputs = [
      [0.3, -1.2, 0.8, 2],
      [0, 0, 0, 0],
      [-0.5, 0.25, 1.5, -2]
    ];
    const again = toModel(fromModel(model));
    const [a, b] = [predict(model, inputs), predict(again, inputs)];
    a.forEach((row, n) => row.forEach((v, j) => expect(b[n][j]).toBeCloseTo(v, 6)));
  });
});

describe('a TF.js model saved to disk', () => {
  it('loadNetwork(model.json) equals fromModel(model), and predicts like tf.loadLayersModel of the same files', async () => {
    const model = mlp([3, 6, 2], { activation: 'relu', seed: 11 });
    const dense = model.layers[1];
    dense.setWeights([dense.getWeights()[0], tf.tensor1d([0.5, -0.5])]);
    // tfjs-node's file:// handler writes model.json + weights.bin; without the native binding, capture the
    // same artifacts with withSaveHandler and write them in the same layout.
    const dir = mkdtempSync(join(root, 'model-'));
    await model.save(
      tf.io.withSaveHandler(async artifacts => {
        const { weightData, weightSpecs, ...rest } = artifacts;
        const data = new Uint8Array(
          Array.isArray(weightData) ? await new Blob(weightData).arrayBuffer() : (weightData as ArrayBuffer)
        );
        writeFileSync(join(dir, 'weights.bin'), data);
        writeFileSync(
          join(dir, 'model.json'),
          JSON.stringify({ ...rest, weightsManifest: [{ paths: ['./weights.bin'], weights: weightSpecs }] })
        );
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      })
    );
    const net = await loadNetwork(join(dir, 'model.json'));
    const direct = fromModel(model);
    expect(net.layers.map(l => [l.nIn, l.nOut, l.activation])).toEqual(
      direct.layers.map(l => [l.nIn, l.nOut, l.activation])
    );
    net.layers.forEach((l, i) => {
      expect(Array.from(l.weights)).toEqual(Array.from(direct.layers[i].weights));
      expect(Array.from(l.bias ?? [])).toEqual(Array.from(direct.layers[i].bias ?? []));
    });

    // TF.js' own loader on the same files: file:// where tfjs-node is built, else a handler reading them.
    const url = `file://${join(dir, 'model.json')}`;
    const loaded = tfBackend().native
      ? await tf.loadLayersModel(url)
      : await tf.loadLayersModel({
          load: async () => {
            const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
              modelTopology: object;
              weightsManifest: { paths: string[]; weights: tfjs.io.WeightsManifestEntry[] }[];
            };
            const bytes = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
            return {
              modelTopology: json.modelTopology,
              weightSpecs: json.weightsManifest[0].weights,
              weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
            };
          }
        });
    const inputs = [
      [1, -2, 0.5],
      [0.1, 0.2, 0.3]
    ];
    const [a, b] = [predict(loaded as ReturnType<typeof toModel>, inputs), predict(toModel(net), inputs)];
    a.forEach((row, n) => row.forEach((v, j) => expect(b[n][j]).toBeCloseTo(v, 6)));
  });
});
