/**
 * Weight files written by other tools, read in pure TypeScript (also in the browser): `.safetensors`,
 * NumPy `.npy`/`.npz`, PyTorch `state_dict`s of linear layers and TF.js / Keras `model.json` + shards.
 */
export * from './tensor';
export * from './safetensors';
export * from './npy';
export * from './npz';
export * from './statedict';
export * from './tfjs';
export * from './detect';
export * from './budget';
export * from './read';
export * from './torch';
export * from './models';
