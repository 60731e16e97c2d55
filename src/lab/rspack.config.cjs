// Extra Rspack configuration of the labextension build (package.json `jupyterlab.rspackConfig`), merged by
// @jupyter/builder (`jupyter-builder build .`) into its own.
//
// The builder always bundles the package's `main` as the shared module `nnmotifs`. Our `main` is the
// Node-side kernel helpers (tfjs-node, node: built-ins), which must never reach the browser, and no
// frontend code imports `nnmotifs`: the lab code lives in lib-lab/. So the build sees an empty module there.
/* eslint-disable @typescript-eslint/no-require-imports -- @jupyter/builder require()s this file: CommonJS */
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const main = require(path.join(root, 'package.json')).main;

// The builder's base config names its loaders (`style-loader`, `css-loader`) as bare strings, which Rspack
// resolves from the extension's folder. npm does not always hoist them: installed into a tree whose lock
// came from @jupyterlab/builder, they stay in node_modules/@jupyter/builder/node_modules. Look there too.
const builderModules = path.join(
  path.dirname(require.resolve('@jupyter/builder/package.json', { paths: [root] })),
  'node_modules'
);

module.exports = {
  resolve: {
    alias: {
      [path.join(root, main)]: false
    }
  },
  resolveLoader: {
    modules: ['node_modules', builderModules]
  }
};
