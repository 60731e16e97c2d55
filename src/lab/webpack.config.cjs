// Extra webpack configuration of the labextension build (package.json `jupyterlab.webpackConfig`).
//
// @jupyterlab/builder always bundles the package's `main` as the shared module `nnmotifs`. Our `main` is
// the Node-side kernel helpers (tfjs-node, node: built-ins), which must never reach the browser, and no
// frontend code imports `nnmotifs`: the lab code lives in lib-lab/. So the build sees an empty module there.
/* eslint-disable @typescript-eslint/no-require-imports -- @jupyterlab/builder require()s this file: CommonJS */
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const main = require(path.join(root, 'package.json')).main;

module.exports = {
  resolve: {
    alias: {
      [path.join(root, main)]: false
    }
  }
};
