import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETWORK_FORMAT, networkToJson, parseNetworkJson, serializeNetwork } from '../../src/core/io';
import type { LayeredNetwork } from '../../src/core/network';
import { NetworkError, createNetwork } from '../../src/core/validate';
import { arbNetwork } from './helpers/random-network';

function networkError(fn: () => unknown): NetworkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NetworkError);
    return err as NetworkError;
  }
  throw new Error('expected a NetworkError, nothing was thrown');
}

/** Bit-exact equality of two networks (tells -0 from 0, unlike a plain deep equality). */
function expectIdentical(a: LayeredNetwork, b: LayeredNetwork): void {
  expect(b.layers.length).toBe(a.layers.length);
  a.layers.forEach((la, l) => {
    const lb = b.layers[l];
    expect([lb.nIn, lb.nOut, lb.activation]).toEqual([la.nIn, la.nOut, la.activation]);
    expect(lb.weights).toBeInstanceOf(Float64Array);
    expect(Array.from(lb.weights, x => (Object.is(x, -0) ? '-0' : x))).toEqual(
      Array.from(la.weights, x => (Object.is(x, -0) ? '-0' : x))
    );
    expect(lb.bias === undefined).toBe(la.bias === undefined);
    if (la.bias) expect(Array.from(lb.bias ?? [], String)).toEqual(Array.from(la.bias, String));
    expect(lb.mask).toEqual(la.mask);
  });
  // meta is plain JSON: it round-trips as JSON does (-0 in meta reads back as 0, like JSON.parse)
  expect(b.meta).toEqual(a.meta === undefined ? undefined : JSON.parse(JSON.stringify(a.meta)));
}

const file = (body: Record<string, unknown>): string =>
  JSON.stringify({ format: NETWORK_FORMAT, version: 1, ...body });

describe('parseNetworkJson', () => {
  it('reads a hand-written file', () => {
    const net = parseNetworkJson(
      `{"format": "nnmotifs.network", "version": 1,
        "layers": [
          {"weights": [[0.5, -1], [2, 0]], "bias": [0.1, 0], "mask": [[1, 1], [0, 1]], "activation": "relu"},
          {"weights": [[1], [-3]]}
        ],
        "meta": {"name": "tiny", "seed": 3}}`
    );
    expect(net.layers[0].weights).toEqual(new Float64Array([0.5, -1, 2, 0]));
    expect(net.layers[0].bias).toEqual(new Float64Array([0.1, 0]));
    expect(net.layers[0].mask).toEqual(new Uint8Array([1, 1, 0, 1]));
    expect(net.layers[0].activation).toBe('relu');
    expect(net.layers[1].weights).toEqual(new Float64Array([1, -3]));
    expect(net.layers[1].bias).toBeUndefined();
    expect(net.meta).toEqual({ name: 'tiny', seed: 3 });
  });

  it('reports malformed JSON with line, column and position', () => {
    const text = '{\n  "format": "nnmotifs.network",\n  "version": 1,,\n}';
    const err = networkError(() => parseNetworkJson(text, 'bad.json'));
    const position = text.indexOf(',,') + 1;
    expect(err.source).toBe('bad.json');
    expect(err.message).toMatch(
      new RegExp(`^bad\\.json: malformed JSON at line 3, column 16 \\(position ${position}\\)`)
    );
    expect(networkError(() => parseNetworkJson('{"format": ', 'cut.json')).message).toMatch(
      /^cut\.json: malformed JSON at line 1, column 12 \(position 11\)/
    );
  });

  it('checks the top level, the format tag and the version', () => {
    expect(networkError(() => parseNetworkJson('[1, 2]', 'a.json')).message).toBe(
      'a.json: expected a JSON object with "format": "nnmotifs.network" at the top level, found an array'
    );
    expect(networkError(() => parseNetworkJson('{"layers": []}', 'a.json')).problem).toBe(
      'missing "format": expected "nnmotifs.network" (is this an nnmotifs network file?)'
    );
    expect(networkError(() => parseNetworkJson('{"format": "keras", "layers": []}')).problem).toBe(
      '"format" is "keras", expected "nnmotifs.network"'
    );
    expect(networkError(() => parseNetworkJson(`{"format": "${NETWORK_FORMAT}"}`)).problem).toBe(
      'missing "version": expected 1'
    );
    expect(networkError(() => parseNetworkJson(file({ version: 2, layers: [] }))).problem).toBe(
      'unsupported version 2: this version of nnmotifs reads version 1'
    );
    expect(networkError(() => parseNetworkJson(file({ version: '1', layers: [] }))).problem).toBe(
      'unsupported version "1": this version of nnmotifs reads version 1'
    );
  });

  it('names the layer, row and column of a value of the wrong type', () => {
    const text = file({ layers: [{ weights: [[1, 2]] }, { weights: [[1], ['x']] }] });
    const err = networkError(() => parseNetworkJson(text, 'w.json'));
    expect(err.message).toBe('w.json, layer 1: weights row 1, column 0 should be a number but is "x"');
    expect(
      networkError(() => parseNetworkJson(file({ layers: [{ weights: [[1]], bias: 3 }] }))).problem
    ).toBe('"bias" should be an array but is 3');
    expect(networkError(() => parseNetworkJson(file({ layers: [{ bias: [1] }] }))).problem).toBe(
      '"weights" is missing (expected an array)'
    );
    expect(
      networkError(() => parseNetworkJson(file({ layers: [{ weights: [[1]], bias: [true] }] }))).problem
    ).toBe('bias entry 0 should be a number but is true');
    expect(networkError(() => parseNetworkJson(file({ layers: {} }))).problem).toBe(
      '"layers" should be an array but is an object'
    );
    expect(
      networkError(() => parseNetworkJson(file({ layers: [{ weights: [[1]], activation: 1 }] }))).problem
    ).toBe('"activation" should be a string but is 1');
  });

  it('reports numbers too large for a double', () => {
    const text = `{"format": "${NETWORK_FORMAT}", "version": 1, "layers": [{"weights": [[1, 1e400]]}]}`;
    expect(networkError(() => parseNetworkJson(text)).message).toBe(
      'layer 0: weights row 0, column 1 is Infinity, which is not a finite number'
    );
  });

  it('passes on the checks of createNetwork with the source', () => {
    const ragged = networkError(() =>
      parseNetworkJson(file({ layers: [{ weights: [[1, 2], [3]] }] }), 'r.json')
    );
    expect(ragged.message).toBe('r.json, layer 0: weights row 1 has 1 entries but row 0 has 2 (ragged rows)');
    const mask = networkError(() =>
      parseNetworkJson(file({ layers: [{ weights: [[1, 2]], mask: [[1, 2]] }] }))
    );
    expect(mask.problem).toBe('mask row 0, column 1 is 2; a mask holds only 0 and 1');
    const shapes = networkError(() =>
      parseNetworkJson(file({ layers: [{ weights: [[1, 2]] }, { weights: [[1]] }] }))
    );
    expect(shapes.layer).toBe(1);
    expect(networkError(() => parseNetworkJson(file({ layers: [] }))).problem).toMatch(/no layers/);
  });
});

describe('serializeNetwork and networkToJson', () => {
  it('round-trips every network bit for bit', () => {
    fc.assert(
      fc.property(
        arbNetwork(),
        fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
        (net, meta) => {
          const withMeta: LayeredNetwork = meta === undefined ? net : { ...net, meta };
          expectIdentical(withMeta, parseNetworkJson(serializeNetwork(withMeta)));
        }
      )
    );
  });

  it('keeps -0, extreme and subnormal doubles exactly', () => {
    const values = [-0, 5e-324, -Number.MAX_VALUE, 0.1 + 0.2, 1 / 3, 123456789.12345679, 2 ** -1074 * 3];
    const net = createNetwork([{ weights: { nIn: 1, nOut: values.length, data: values } }]);
    const back = parseNetworkJson(serializeNetwork(net));
    expect(Object.is(back.layers[0].weights[0], -0)).toBe(true);
    expect(Array.from(back.layers[0].weights)).toEqual(values);
  });

  it('writes the documented structure', () => {
    const net = createNetwork([{ weights: [[1, 2]], bias: [0, 1], mask: [[1, 0]], activation: 'tanh' }], {
      meta: { name: 'n' }
    });
    const expected = {
      format: 'nnmotifs.network',
      version: 1,
      layers: [{ weights: [[1, 2]], bias: [0, 1], mask: [[1, 0]], activation: 'tanh' }],
      meta: { name: 'n' }
    };
    expect(networkToJson(net)).toEqual(expected);
    expect(JSON.parse(serializeNetwork(net))).toEqual(expected);
  });

  it('refuses to write an invalid network', () => {
    const net: LayeredNetwork = { layers: [{ nIn: 1, nOut: 1, weights: new Float64Array([NaN]) }] };
    expect(networkError(() => serializeNetwork(net)).problem).toMatch(/is NaN/);
  });
});

describe('meta keys that are special in JavaScript', () => {
  it('keeps an own "__proto__" key of meta (found by the round-trip property)', () => {
    const meta = JSON.parse('{"__proto__": [], "constructor": 1}') as Record<string, unknown>;
    const net = createNetwork([{ weights: [[1]] }], { meta });
    const back = parseNetworkJson(serializeNetwork(net));
    expect(Object.keys(back.meta ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(back.meta)).toBe(Object.prototype);
  });
});
